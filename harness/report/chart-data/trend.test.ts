import assert from "node:assert/strict";
import { test } from "node:test";
import type { Results } from "../../results/schema.ts";
import { costSlopeLines, rssGrowthText } from "../outputs/figures.ts";
import { COST_SLOPE_RULE, judgeTrend, RSS_GROWTH_RULE } from "./trend.ts";

test("a clear line is a trend; noise and too few points are not, and say what they lack", () => {
  const line = [100, 250, 500, 1000].map((x) => [x, 50 + 0.09 * x] as [number, number]);
  const clear = judgeTrend(line, COST_SLOPE_RULE);
  assert.equal(clear.meaningful, true);
  assert.ok(clear.meaningful && Math.abs(clear.fit.slope - 0.09) < 1e-9 && clear.fit.r2 > 0.999);

  // Four CPU checkpoints that wander: a least-squares slope exists, but R² is low.
  const noisy: Array<[number, number]> = [
    [100, 0.62],
    [250, 0.41],
    [500, 0.66],
    [1000, 0.5],
  ];
  const judged = judgeTrend(noisy, COST_SLOPE_RULE);
  assert.equal(judged.meaningful, false);
  assert.match(
    judged.meaningful ? "" : judged.reason,
    /^not enough signal: R² 0\.\d\d \(a trend needs ≥ 4 points, R² ≥ 0\.9\)$/,
  );

  const three = judgeTrend(line.slice(0, 3), COST_SLOPE_RULE);
  assert.match(three.meaningful ? "" : three.reason, /3 points/);
});

test("RSS growth per hour needs ten minutes of samples", () => {
  const short = Array.from({ length: 23 }, (_, i) => [i, 100e6 + i * 4e5] as [number, number]);
  const judged = judgeTrend(short, RSS_GROWTH_RULE);
  assert.equal(judged.meaningful, false);
  assert.match(judged.meaningful ? "" : judged.reason, /22 s of samples, 23 points/);
  const long = Array.from(
    { length: 700 },
    (_, i) => [i, 100e6 + i * 1000 + (i % 7) * 5000] as [number, number],
  );
  assert.equal(judgeTrend(long, RSS_GROWTH_RULE).meaningful, true);
});

function results(metrics: Results["metrics"], checkpoints: Results["checkpoints"] = []): Results {
  return { metrics, checkpoints } as unknown as Results;
}

test("the report withholds a slope or growth rate without signal and says why", () => {
  const noisy = results({}, [
    { objects: 100, operator_cpu_cores: 0.62 },
    { objects: 250, operator_cpu_cores: 0.41 },
    { objects: 500, operator_cpu_cores: 0.66 },
    { objects: 1000, operator_cpu_cores: 0.5 },
  ]);
  assert.deepEqual(costSlopeLines(noisy), [
    "Operator CPU per 1000 objects: not enough signal: R² 0.02 (a trend needs ≥ 4 points, R² ≥ 0.9)",
  ]);
  const short = results({
    operator_rss_slope_bytes_per_hour: { type: "gauge", unit: "bytes/h", value: 1.5e9 },
    operator_rss_bytes: {
      type: "series",
      unit: "bytes",
      points: Array.from({ length: 24 }, (_, i) => [i, 150e6 + i * 1e5] as [number, number]),
    },
  });
  assert.match(rssGrowthText(short) ?? "", /^not shown — not enough signal: 23 s of samples, 24 points/);
});
