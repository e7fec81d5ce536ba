/**
 * etcd's own byte counters as per-object costs: the bytes its clients (kube-apiserver) sent it —
 * every write's new value, every read's and watch's request — and the bytes it sent back (read
 * results, watch events), their change over the run divided by the objects the run created,
 * changed or deleted. Bytes follow how often objects are written and read in full and how big
 * they are, not the machine's speed: an operator that rewrites a status it did not change, or
 * lists where a watch would do, shows here.
 */
import { increase } from "../prometheus/counters.ts";
import type { Sample } from "../prometheus/parse.ts";
import { round4 } from "./request-counts.ts";

const COUNTERS = {
  received: "etcd_network_client_grpc_received_bytes_total",
  sent: "etcd_network_client_grpc_sent_bytes_total",
} as const;
export const ETCD_BYTE_COUNTERS: readonly string[] = Object.values(COUNTERS);

export type Direction = keyof typeof COUNTERS;
const DIRECTIONS = Object.keys(COUNTERS) as Direction[];
/** One reading of both counters, by direction. */
export type EtcdBytes = ReadonlyMap<Direction, number>;

/** Both counters from one scrape of etcd's /metrics, or undefined when either is missing. */
export function etcdBytes(samples: readonly Sample[]): EtcdBytes | undefined {
  const out = new Map<Direction, number>();
  for (const direction of DIRECTIONS) {
    const value = samples.find(
      (s) => s.name === COUNTERS[direction] && Object.keys(s.labels).length === 0,
    )?.value;
    if (value === undefined) return undefined;
    out.set(direction, value);
  }
  return out;
}

/** Metric key → bytes per object over the run: by direction, and unlabelled both together. */
export function etcdBytesPerObject(
  before: EtcdBytes,
  after: EtcdBytes,
  objects: number,
): Map<string, number> {
  const out = new Map<string, number>();
  let sum = 0;
  for (const [direction, delta] of increase(before, after)) {
    sum += delta;
    out.set(`etcd_bytes_per_object{direction="${direction}"}`, round4(delta / objects));
  }
  out.set("etcd_bytes_per_object", round4(sum / objects));
  return out;
}
