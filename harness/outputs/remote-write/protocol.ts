/**
 * Prometheus remote write 1.0: a WriteRequest protobuf message (prompb/remote.proto, the fields a
 * sender needs), compressed with snappy's block format, POSTed with the protocol's headers.
 */
import protobuf from "protobufjs";
import { compress, uncompress } from "snappyjs";

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: "repeated", type: "TimeSeries", id: 1 } } },
        TimeSeries: {
          fields: {
            labels: { rule: "repeated", type: "Label", id: 1 },
            samples: { rule: "repeated", type: "Sample", id: 2 },
          },
        },
        Label: { fields: { name: { type: "string", id: 1 }, value: { type: "string", id: 2 } } },
        Sample: { fields: { value: { type: "double", id: 1 }, timestamp: { type: "int64", id: 2 } } },
      },
    },
  },
});
const WriteRequest = root.lookupType("prometheus.WriteRequest");

export interface Sample {
  value: number;
  /** Unix milliseconds. */
  timestamp: number;
}

export interface TimeSeries {
  /** Including `__name__`; sorted by name as the protocol asks. */
  labels: Array<{ name: string; value: string }>;
  samples: Sample[];
}

export const REMOTE_WRITE_HEADERS = {
  "Content-Type": "application/x-protobuf",
  "Content-Encoding": "snappy",
  "X-Prometheus-Remote-Write-Version": "0.1.0",
  "User-Agent": "patronus-bench",
} as const;

export function encodeWriteRequest(timeseries: readonly TimeSeries[]): Uint8Array {
  return compress(WriteRequest.encode(WriteRequest.fromObject({ timeseries })).finish());
}

/** The inverse of encodeWriteRequest (tests, and reading what was sent). */
export function decodeWriteRequest(body: Uint8Array): TimeSeries[] {
  const message = WriteRequest.decode(uncompress(body));
  const plain = WriteRequest.toObject(message, { longs: Number, defaults: true }) as {
    timeseries: TimeSeries[];
  };
  return plain.timeseries;
}

/** A series' labels: `__name__` and the rest, sorted by name; names made valid for Prometheus. */
export function seriesLabels(name: string, labels: Record<string, string>): TimeSeries["labels"] {
  const all = {
    ...Object.fromEntries(Object.entries(labels).map(([k, v]) => [promName(k), v])),
    __name__: promName(name),
  };
  return Object.entries(all)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([n, value]) => ({ name: n, value }));
}

export function promName(name: string): string {
  const valid = name.replace(/[^a-zA-Z0-9_:]/g, "_");
  return /^[0-9]/.test(valid) ? `_${valid}` : valid;
}
