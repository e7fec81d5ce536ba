/**
 * Kubernetes resource quantities ("500m", "0.5", "256Mi", "1G") as numbers, so options can be
 * checked (request ≤ limit) before the apiserver sees them, and the container runtime can turn
 * the same strings into Docker's NanoCpus / Memory.
 */
const SUFFIX: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

const PATTERN = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

export function isQuantity(text: string): boolean {
  return PATTERN.test(text);
}

/** The quantity as a plain number: CPU in cores, memory in bytes. */
export function parseQuantity(text: string): number {
  const m = PATTERN.exec(text);
  if (!m) throw new Error(`"${text}" is not a Kubernetes quantity (e.g. 500m, 2, 256Mi, 1Gi)`);
  return Number(m[1]) * (SUFFIX[m[2] ?? ""] ?? 1);
}
