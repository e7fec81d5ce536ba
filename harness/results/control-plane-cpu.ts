/**
 * operator_cpu_per_control_plane_cpu: the operator's CPU seconds per CPU second the control
 * plane (kube-apiserver, etcd, kube-controller-manager) used in the same run.
 *
 * CPU seconds are not a count on a shared VM: with the same work, every process of a scale-1000
 * run used up to twice the CPU seconds in one run as in another, all of them together (the host
 * ran slower). The control plane's work follows the request counts, which are gated on their own
 * and move ≤ 1.5 %, so its CPU measures how fast this machine ran this run, and the ratio cancels
 * it. A change that adds apiserver requests raises the denominator: read it beside
 * apiserver_requests_per_object.
 */
import type { Results } from "./schema.ts";

export const OPERATOR_CPU_PER_CONTROL_PLANE_CPU = "operator_cpu_per_control_plane_cpu";

const CONTROL_PLANE = ["apiserver_cpu_cores", "etcd_cpu_cores", "controller_manager_cpu_cores"] as const;

type Points = ReadonlyArray<readonly [number, number]>;

/**
 * CPU seconds behind a `<process>_cpu_cores` series: each point is the cores used since the
 * sample before it, so the first point's interval is unknown and left out (for every process
 * alike: they are sampled at the same instants).
 */
function cpuSeconds(points: Points): number {
  let seconds = 0;
  for (let i = 1; i < points.length; i++) seconds += points[i]![1] * (points[i]![0] - points[i - 1]![0]);
  return seconds;
}

/** The ratio, or undefined when the operator's or the control plane's CPU was not measured (a remote cluster). */
export function operatorCpuPerControlPlaneCpu(
  series: (name: string) => Points | undefined,
): number | undefined {
  const operator = series("operator_cpu_cores");
  if (!operator || operator.length < 2) return undefined;
  const controlPlane = CONTROL_PLANE.reduce((s, name) => s + cpuSeconds(series(name) ?? []), 0);
  if (controlPlane <= 0) return undefined;
  return Math.round((cpuSeconds(operator) / controlPlane) * 10_000) / 10_000;
}

/**
 * Results written before this figure existed hold the series it comes from: it is derived when
 * they are read, so an A/B or a spread over older runs has it too.
 */
export function withControlPlaneCpuRatio(results: Results): Results {
  if (results.metrics[OPERATOR_CPU_PER_CONTROL_PLANE_CPU]) return results;
  const ratio = operatorCpuPerControlPlaneCpu((name) => {
    const m = results.metrics[name];
    return m?.type === "series" ? m.points : undefined;
  });
  if (ratio === undefined) return results;
  return {
    ...results,
    metrics: {
      ...results.metrics,
      [OPERATOR_CPU_PER_CONTROL_PLANE_CPU]: { type: "gauge", unit: "ratio", value: ratio },
    },
  };
}
