import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { seededRandom } from "../../random/seeded.ts";
import { runOpenModel } from "./run.ts";
import { arrivals, expectedArrivals, segmentsOf, targetRateAt } from "./schedule.ts";

describe("arrival schedules", () => {
  it("constant-arrival-rate spaces arrivals evenly over the duration", () => {
    const segs = segmentsOf({ type: "constant-arrival-rate", rate: 50, timeUnit: 1000, duration: 2000 });
    const offsets = [...arrivals(segs)];
    assert.equal(offsets.length, 100);
    assert.equal(offsets[0], 0);
    assert.ok(Math.abs((offsets[1] ?? 0) - 20) < 1e-9);
    assert.ok(Math.abs((offsets.at(-1) ?? 0) - 1980) < 1e-6);
  });

  it("ramping-arrival-rate follows the area under the stages", () => {
    const segs = segmentsOf({
      type: "ramping-arrival-rate",
      startRate: 0,
      timeUnit: 1000,
      stages: [
        { target: 100, duration: 1000 },
        { target: 100, duration: 1000 },
        { target: 0, duration: 1000 },
      ],
    });
    assert.equal(expectedArrivals(segs), 200);
    const offsets = [...arrivals(segs)];
    assert.ok(Math.abs(offsets.length - 200) <= 1, String(offsets.length));
    // Ramp-up: half of the first stage's 50 arrivals land in its last 29 % (rate grows linearly).
    const firstStage = offsets.filter((t) => t < 1000);
    assert.ok(Math.abs(firstStage.length - 50) <= 1);
    assert.ok(Math.abs(targetRateAt(segs, 500) - 50) < 1e-6);
    for (let i = 1; i < offsets.length; i++) assert.ok((offsets[i] ?? 0) >= (offsets[i - 1] ?? 0));
  });

  it("Poisson arrivals keep the mean rate with exponential gaps", () => {
    const segs = segmentsOf({ type: "constant-arrival-rate", rate: 100, timeUnit: 1000, duration: 100_000 });
    const offsets = [...arrivals(segs, seededRandom(7))];
    // 10 000 expected, standard deviation 100: allow 4σ.
    assert.ok(Math.abs(offsets.length - 10_000) < 400, String(offsets.length));
    const gaps = offsets.slice(1).map((t, i) => t - (offsets[i] ?? 0));
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    assert.ok(Math.abs(mean - 10) < 0.4, `mean gap ${mean}`);
    // Exponential: the coefficient of variation is ~1 (uniform spacing would give 0).
    const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
    assert.ok(sd / mean > 0.9 && sd / mean < 1.1, `cv ${sd / mean}`);
    // Same seed, same arrivals.
    assert.deepEqual([...arrivals(segs, seededRandom(7))].slice(0, 50), offsets.slice(0, 50));
  });
});

describe("open-model runner", () => {
  it("starts iterations on time without drift, even when iterations are slow", async () => {
    const lags: number[] = [];
    // 300 arrivals in 1 s: a scheduler that slept "gap" after each start would drift by at least
    // the timer granularity per arrival (≥ 300 ms by the end); a drift-free one stays on time.
    const segs = segmentsOf({ type: "constant-arrival-rate", rate: 300, timeUnit: 1000, duration: 1000 });
    const result = await runOpenModel({
      schedule: arrivals(segs),
      maxInFlight: 300,
      iterate: async (it) => {
        lags.push(performance.now() - it.intendedStart);
        await sleep(50); // slower than the 3.3 ms gap: a closed model would fall behind
      },
    });
    assert.equal(result.started, 300);
    assert.equal(result.dropped, 0);
    assert.equal(result.completed, 300);
    const sorted = [...lags].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    // Shared CI machines stall the event loop now and then; single stalls are fine, drift is not.
    assert.ok(median < 25, `median start lag ${median} ms`);
    assert.ok((lags.at(-1) ?? 0) < 150, `last start ${lags.at(-1)} ms late`);
  });

  it("drops and counts arrivals beyond the in-flight cap and measures latency from the intended start", async () => {
    const latencies: number[] = [];
    const segs = segmentsOf({ type: "constant-arrival-rate", rate: 100, timeUnit: 1000, duration: 300 });
    const result = await runOpenModel({
      schedule: arrivals(segs),
      maxInFlight: 2,
      iterate: () => sleep(100),
      onDone: (_it, latency) => latencies.push(latency),
    });
    assert.equal(result.scheduled, 30);
    assert.equal(result.started + result.dropped, 30);
    // Two slots of 100 ms over 300 ms admit about 6 iterations; the rest are dropped, not queued.
    assert.ok(result.started >= 4 && result.started <= 8, `started ${result.started}`);
    assert.ok(result.dropped >= 22, `dropped ${result.dropped}`);
    // libuv fires timers on its cached millisecond loop clock, so both the start wait and the
    // 100 ms sleep can end up to ~1 ms early against performance.now(); 97 leaves room for both.
    for (const l of latencies) assert.ok(l >= 97, `latency ${l}`);
  });

  it("counts failures and stops early on abort", async () => {
    const controller = new AbortController();
    const segs = segmentsOf({ type: "constant-arrival-rate", rate: 100, timeUnit: 1000, duration: 10_000 });
    setTimeout(() => controller.abort(), 150);
    const result = await runOpenModel({
      schedule: arrivals(segs),
      maxInFlight: 10,
      signal: controller.signal,
      iterate: async (it) => {
        if (it.index % 2 === 0) throw new Error("boom");
      },
    });
    assert.ok(result.scheduled < 30, `scheduled ${result.scheduled}`);
    assert.ok(result.failed > 0 && result.completed > 0);
    assert.ok(result.elapsedMs < 1000);
  });
});
