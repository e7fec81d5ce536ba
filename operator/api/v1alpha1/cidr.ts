/**
 * CIDR parsing with the semantics of the Kubernetes CEL `isCIDR`/`cidr().masked()` functions (Go's
 * netip.ParsePrefix): no leading zeros in IPv4 octets or the prefix length, no zones, no
 * IPv4-mapped IPv6 notation. The zod validators use it so they accept exactly what the CRD accepts.
 */
import { isIPv6 } from "node:net";

interface Prefix {
  bits: bigint;
  width: number;
  length: number;
}

const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIPv6(s: string): bigint | undefined {
  if (!isIPv6(s) || s.includes("%") || s.includes(".")) return undefined;
  const [head = "", tail] = s.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...tailGroups];
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

function parsePrefix(s: string): Prefix | undefined {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const address = s.slice(0, slash);
  const lengthText = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lengthText)) return undefined;
  const length = Number(lengthText);
  const v4 = parseIPv4(address);
  if (v4 !== undefined) return length <= 32 ? { bits: v4, width: 32, length } : undefined;
  const v6 = parseIPv6(address);
  if (v6 !== undefined) return length <= 128 ? { bits: v6, width: 128, length } : undefined;
  return undefined;
}

export function isCidr(s: string): boolean {
  return parsePrefix(s) !== undefined;
}

/** True when no bit below the prefix length is set (10.0.0.0/8, not 10.0.0.1/8). */
export function isCanonicalCidr(s: string): boolean {
  const p = parsePrefix(s);
  if (!p) return false;
  const hostBits = BigInt(p.width - p.length);
  return (p.bits & ((1n << hostBits) - 1n)) === 0n;
}
