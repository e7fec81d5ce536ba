import assert from "node:assert/strict";
import { test } from "node:test";
import {
  OPERATOR_CPU_PER_CONTROL_PLANE_CPU,
  operatorCpuPerControlPlaneCpu,
  withControlPlaneCpuRatio,
} from "./control-plane-cpu.ts";
import type { Results } from "./schema.ts";

const series = (points: Array<[number, number]>) => ({ type: "series" as const, unit: "cores", points });

test("the operator's CPU seconds over the control plane's, each point weighted by its interval, the first left out", () => {
  const s: Record<string, Array<[number, number]>> = {
    // 9 cores before t=1 are outside the run's measured intervals.
    operator_cpu_cores: [
      [1, 9],
      [2, 0.5],
      [4, 0.25],
    ],
    apiserver_cpu_cores: [
      [1, 9],
      [2, 1],
      [4, 1],
    ],
    etcd_cpu_cores: [
      [1, 9],
      [2, 0.5],
      [4, 0.5],
    ],
  };
  // operator 0.5·1 + 0.25·2 = 1 s; control plane 1.5·1 + 1.5·2 = 4.5 s.
  assert.equal(
    operatorCpuPerControlPlaneCpu((n) => s[n]),
    Math.round((1 / 4.5) * 10_000) / 10_000,
  );
  assert.equal(
    operatorCpuPerControlPlaneCpu((n) => (n === "operator_cpu_cores" ? s[n] : undefined)),
    undefined,
    "no control plane measured (a remote cluster): no ratio",
  );
});

test("results read without the figure get it from their series; a recorded figure is kept", () => {
  const results = {
    metrics: {
      operator_cpu_cores: series([
        [0, 0],
        [1, 1],
      ]),
      apiserver_cpu_cores: series([
        [0, 0],
        [1, 2],
      ]),
    },
  } as unknown as Results;
  const derived = withControlPlaneCpuRatio(results);
  assert.deepEqual(derived.metrics[OPERATOR_CPU_PER_CONTROL_PLANE_CPU], {
    type: "gauge",
    unit: "ratio",
    value: 0.5,
  });
  const recorded = {
    metrics: {
      ...results.metrics,
      [OPERATOR_CPU_PER_CONTROL_PLANE_CPU]: { type: "gauge", unit: "ratio", value: 0.3 },
    },
  } as unknown as Results;
  assert.equal(withControlPlaneCpuRatio(recorded), recorded);
});
