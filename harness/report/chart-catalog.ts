/**
 * Every per-run chart: its spec file in charts/ (users restyle those), the builder of the rows
 * injected into the spec's `rows` dataset at render time, and — for the charts a running run can
 * already draw — the builder the live view (`run --dashboard`) feeds with what it has so far.
 */
import type { Results } from "../results/schema.ts";
import { convergenceData } from "./chart-data/convergence.ts";
import { costCurveData } from "./chart-data/cost-curve.ts";
import { hotPathsData } from "./chart-data/hot-paths.ts";
import { latencyCdfData, latencyCdfRows, latencyPercentilesData } from "./chart-data/latency.ts";
import { rateData, workqueueData } from "./chart-data/rates.ts";
import { timelineData } from "./chart-data/timeline.ts";
import type { ChartData, RunSoFar } from "./chart-data/types.ts";

export interface ChartDefinition {
  /** File stem: charts/<id>.vl.json in, charts/<id>.svg|png out. */
  id: string;
  title: string;
  data(results: Results): ChartData;
  /**
   * The same rows from what a running run has recorded so far. Absent for a chart whose data
   * exists only once the run is over (the CPU profile).
   */
  live?(run: RunSoFar): ChartData;
}

/** In reading order: the first is the picture a scale test is read by. */
export const RUN_CHARTS: readonly ChartDefinition[] = [
  { id: "convergence", title: "Objects Ready over time", data: convergenceData, live: convergenceData },
  {
    id: "latency-percentiles",
    title: "Latency percentiles over time",
    data: latencyPercentilesData,
    live: latencyPercentilesData,
  },
  {
    id: "latency-cdf",
    title: "Latency distribution (CDF)",
    data: latencyCdfData,
    live: (run) => latencyCdfRows(run.latencies),
  },
  { id: "rate", title: "Target vs achieved rate", data: rateData, live: rateData },
  { id: "workqueue", title: "Workqueue depth and reconcile rate", data: workqueueData, live: workqueueData },
  {
    id: "cost-curve",
    title: "Cost curve (CPU and RSS vs objects)",
    data: costCurveData,
    live: costCurveData,
  },
  { id: "failover-timeline", title: "Failover timeline", data: timelineData, live: timelineData },
  { id: "hot-functions", title: "Top hot functions", data: hotPathsData },
];
