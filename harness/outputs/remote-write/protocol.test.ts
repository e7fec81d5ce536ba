import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compress, uncompress } from "snappyjs";
import { decodeWriteRequest, encodeWriteRequest, seriesLabels, type TimeSeries } from "./protocol.ts";

describe("remote-write protocol", () => {
  it("a WriteRequest decodes back to the same series, labels and samples", () => {
    const series: TimeSeries[] = [
      {
        labels: seriesLabels("patronus_bench_lost_updates", { run_id: "smoke-1", scenario: "smoke" }),
        samples: [
          { value: 0, timestamp: 1_765_000_000_000 },
          { value: 3, timestamp: 1_765_000_005_000 },
        ],
      },
      {
        labels: seriesLabels("patronus_bench_site_ready_latency", { quantile: "0.99", run_id: "smoke-1" }),
        samples: [{ value: 123.456, timestamp: 1_765_000_005_001 }],
      },
    ];
    assert.deepEqual(decodeWriteRequest(encodeWriteRequest(series)), series);
  });

  it("snappy's block format round-trips, and the body is snappy-compressed", () => {
    const input = new TextEncoder().encode("patronus_bench_".repeat(200));
    const packed = compress(input);
    assert.ok(packed.length < input.length);
    assert.deepEqual(new Uint8Array(uncompress(packed)), input);
    const body = encodeWriteRequest([
      { labels: seriesLabels("x", {}), samples: [{ value: 1, timestamp: 1 }] },
    ]);
    assert.throws(() => decodeWriteRequest(new Uint8Array([0xff, ...body.slice(1)])));
  });

  it("labels are sorted by name with __name__, and invalid characters become _", () => {
    assert.deepEqual(seriesLabels("a.b-c", { zone: "z", "my-label": "v" }), [
      { name: "__name__", value: "a_b_c" },
      { name: "my_label", value: "v" },
      { name: "zone", value: "z" },
    ]);
  });
});
