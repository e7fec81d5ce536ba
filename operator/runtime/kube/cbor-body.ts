/**
 * CBOR request bodies for kube-apiserver (KEP-4222, feature gate CBORServingAndStorage, alpha in
 * v1.37). The apiserver decodes CBOR into the same unstructured object as JSON, for less CPU; it
 * only accepts what its decoder allows, so the encoding is pinned here: definite lengths, text
 * strings, no records or typed-array tags, and the self-described CBOR tag in front, as its own
 * encoder writes.
 */
import { Decoder, Encoder } from "cbor-x";

export const CBOR_CONTENT_TYPE = "application/cbor";

/** Tag 55799 (self-described CBOR): how the apiserver tells CBOR from JSON in storage and on the wire. */
const SELF_DESCRIBED = Uint8Array.of(0xd9, 0xd9, 0xf7);

const encoder = new Encoder({
  useRecords: false,
  tagUint8Array: false,
  variableMapSize: true,
  // Kubernetes' decoder has no use for string references or shared structures.
  pack: false,
});

/** The body as JSON.stringify would send it, in CBOR. */
export function encodeCborBody(value: unknown): Buffer {
  const body = encoder.encode(asJsonWould(value));
  return Buffer.concat([SELF_DESCRIBED, body]);
}

/**
 * What JSON.stringify keeps of a value: fields holding `undefined` dropped, `undefined` in arrays
 * as null, toJSON() applied (Dates). cbor-x would encode `undefined` as simple value 23, which the
 * apiserver refuses. The value itself is returned when nothing needs changing, as is usual.
 */
export function asJsonWould(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === "function") return asJsonWould(withToJson.toJSON());
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const mapped = v === undefined || typeof v === "function" ? null : asJsonWould(v);
      if (mapped !== v) {
        out ??= value.slice();
        out[i] = mapped;
      }
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (v === undefined || typeof v === "function") {
      out ??= { ...record };
      delete out[key];
      continue;
    }
    const mapped = asJsonWould(v);
    if (mapped !== v) {
      out ??= { ...record };
      out[key] = mapped;
    }
  }
  return out ?? value;
}

/** Map keys may be byte strings (the apiserver writes them so), which JS objects cannot hold. */
const statusDecoder = new Decoder({ mapsAsObjects: false });

/**
 * The reason and message of an apiserver Status answered in CBOR. The apiserver encodes strings
 * (keys included) as byte strings, which decode to bytes here.
 */
export function decodeCborStatus(bytes: Uint8Array): { reason?: string; message?: string } {
  const value: unknown = statusDecoder.decode(bytes);
  if (!(value instanceof Map)) return {};
  const out: { reason?: string; message?: string } = {};
  for (const [k, v] of value) {
    const key = textOf(k);
    if (key === "reason" || key === "message") out[key] = textOf(v);
  }
  return out;
}

function textOf(v: unknown): string | undefined {
  return typeof v === "string" ? v : v instanceof Uint8Array ? Buffer.from(v).toString("utf8") : undefined;
}
