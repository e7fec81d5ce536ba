declare module "snappyjs" {
  /** Snappy block format (what Prometheus remote write's Content-Encoding: snappy means). */
  export function compress(input: Uint8Array): Uint8Array;
  export function uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
}
