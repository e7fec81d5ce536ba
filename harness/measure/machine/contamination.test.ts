import assert from "node:assert/strict";
import { test } from "node:test";
import type { MetricMap } from "../metrics/types.ts";
import {
  contaminationShare,
  isTimingMetric,
  judgeContamination,
  judgeProbe,
  PROBE_END,
  PROBE_START,
  probeChangeLimit,
  thresholdStatus,
} from "./contamination.ts";
import { parseCpuTotals } from "./cpu-totals.ts";
import { unmeasuredCores } from "./machine-state.ts";

const series = (values: number[]): MetricMap[string] => ({
  type: "series",
  unit: "cores",
  points: values.map((v, i) => [i, v] as [number, number]),
});

test("/proc/stat: busy is user+nice+system+irq+softirq; steal where reported", () => {
  const t = parseCpuTotals("cpu  524892 515670 175937 10621 388 0 4662 7795 0 0\ncpu0 1 2 3 4\n");
  assert.equal(Math.round(t!.busySeconds * 100), 524892 + 515670 + 175937 + 0 + 4662);
  assert.equal(t!.stealSeconds, 77.95);
  assert.equal(parseCpuTotals("cpu  1 2 3 4\n")!.stealSeconds, undefined);
  assert.equal(parseCpuTotals("intr 1 2 3\n"), undefined);
});

test("another process using 1.1 of 2 cores contaminates the run; 0.2 of 2 does not", () => {
  const busy = judgeContamination({ unmeasured_cpu_cores: series([1.0, 1.2, 1.1]) }, 2, 60, 0.25);
  assert.equal(busy?.contaminated, true);
  assert.deepEqual(busy?.reasons, [
    "contaminated: another process used 1.1 of 2 cores (mean over the run; more than 0.25 of the cores)",
  ]);
  assert.equal(
    judgeContamination({ unmeasured_cpu_cores: series([0.1, 0.3, 0.2]) }, 2, 60, 0.25)?.contaminated,
    false,
  );
  const stolen = judgeContamination(
    { cpu_steal_seconds: { type: "gauge", unit: "s", value: 60 } },
    2,
    60,
    0.25,
  );
  assert.match(stolen?.reasons[0] ?? "", /hypervisor stole 1\.0 of 2 cores/);
  assert.equal(judgeContamination({}, 2, 60), undefined);
});

test("a contaminated run's timing thresholds are inconclusive; counts still pass or fail", () => {
  assert.equal(thresholdStatus("site_ready_latency", true, true), "inconclusive");
  assert.equal(thresholdStatus("site_ready_latency", false, true), "inconclusive");
  assert.equal(thresholdStatus('site_ready_latency{phase="churn"}', true, true), "inconclusive");
  assert.equal(thresholdStatus("my_custom_latency", true, true), "inconclusive");
  assert.equal(thresholdStatus("lost_updates", false, true), "fail");
  assert.equal(thresholdStatus("coverage_ratio", true, true), "pass");
  assert.equal(thresholdStatus("site_ready_latency", false, false), "fail");
  assert.equal(isTimingMetric("apiserver_requests_per_object"), false);
});

test("the share comes from the environment the CLI sets, else 0.25", () => {
  assert.equal(contaminationShare({}), 0.25);
  assert.equal(contaminationShare({ PATRONUS_BENCH_CONTAMINATION_SHARE: "0.5" }), 0.5);
  assert.equal(contaminationShare({ PATRONUS_BENCH_CONTAMINATION_SHARE: "nonsense" }), 0.25);
});

const gauge = (value: number): MetricMap[string] => ({ type: "gauge", unit: "s", value });

test("a capacity probe 2.1× slower at the end contaminates the run, and says so", () => {
  const slow = judgeContamination({ [PROBE_START]: gauge(0.2), [PROBE_END]: gauge(0.42) }, 2, 60, 0.25, 0.25);
  assert.equal(slow?.contaminated, true);
  assert.deepEqual(slow?.reasons, [
    "contaminated: the capacity probe took 2.1× longer at the end than at the start (0.200 s at the start, 0.420 s at the end; more than 25 % apart)",
  ]);
});

test("the probe judges both ways and only beyond the limit", () => {
  assert.match(judgeProbe(0.5, 0.2, 0.25) ?? "", /took 2\.5× longer at the start than at the end/);
  assert.equal(judgeProbe(0.2, 0.24, 0.25), undefined, "1.2× is within 25 %");
  assert.equal(judgeProbe(0.24, 0.2, 0.25), undefined);
  assert.ok(judgeProbe(0.2, 0.26, 0.25), "1.3× is beyond 25 %");
  assert.equal(judgeProbe(0.2, 0.26, 0.5), undefined, "a wider limit lets it pass");
  assert.equal(judgeProbe(0, 0.3, 0.25), undefined, "no start figure, no judgement");
});

test("a probe within its limit on a quiet machine leaves the run clean; one end alone judges nothing", () => {
  const quiet = judgeContamination(
    { unmeasured_cpu_cores: series([0.1, 0.2]), [PROBE_START]: gauge(0.2), [PROBE_END]: gauge(0.22) },
    2,
    60,
    0.25,
    0.25,
  );
  assert.deepEqual(quiet, { contaminated: false, reasons: [] });
  assert.equal(judgeContamination({ [PROBE_START]: gauge(0.2) }, 2, 60, 0.25, 0.25), undefined);
  const both = judgeContamination(
    { unmeasured_cpu_cores: series([1.1]), [PROBE_START]: gauge(0.2), [PROBE_END]: gauge(0.5) },
    2,
    60,
    0.25,
    0.25,
  );
  assert.equal(both?.reasons.length, 2, "each cause is its own line");
});

test("the probe's limit comes from the environment the CLI sets, else 0.25", () => {
  assert.equal(probeChangeLimit({}), 0.25);
  assert.equal(probeChangeLimit({ PATRONUS_BENCH_CONTAMINATION_PROBE_CHANGE: "0.5" }), 0.5);
  assert.equal(probeChangeLimit({ PATRONUS_BENCH_CONTAMINATION_PROBE_CHANGE: "-1" }), 0.25);
});

test("unmeasured cores: elapsed by the kernel's clock, never more than the machine's cores", () => {
  const at = (busy: number, idle: number) =>
    parseCpuTotals(`cpu  ${busy} 0 0 ${idle} 0 0 0 0\ncpu0 1\ncpu1 1\n`)!;
  // 2 CPUs, 1 s elapsed (200 ticks in all), 150 ticks busy, 0.5 s of it measured: 1.0 core unmeasured.
  assert.equal(unmeasuredCores(at(0, 0), at(150, 50), 0.5), 1);
  // Everything busy and nothing measured: the two cores, not more.
  assert.equal(unmeasuredCores(at(0, 0), at(200, 0), 0), 2);
  // Measured processes account for all of it: none.
  assert.equal(unmeasuredCores(at(0, 0), at(100, 100), 1.2), 0);
  // No time passed by the kernel's clock: no figure.
  assert.equal(unmeasuredCores(at(5, 5), at(5, 5), 0), undefined);
});

test("/proc/stat totals carry the kernel's elapsed time and the CPU count", () => {
  const t = parseCpuTotals("cpu  10 20 30 40 50 60 70 80 0 0\ncpu0 1 2 3 4\ncpu1 1 2 3 4\n")!;
  assert.equal(t.cpus, 2);
  assert.equal(Math.round(t.allSeconds * 100), 10 + 20 + 30 + 40 + 50 + 60 + 70 + 80);
});
