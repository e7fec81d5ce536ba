/**
 * Every per-run chart: its spec file in charts/ (users restyle those) and the builder of the rows
 * injected into the spec's `rows` dataset at render time.
 */
import type { Results } from "../results/schema.ts";
import { convergenceData } from "./chart-data/convergence.ts";
import { costCurveData } from "./chart-data/cost-curve.ts";
import { hotPathsData } from "./chart-data/hot-paths.ts";
import { latencyCdfData, latencyPercentilesData } from "./chart-data/latency.ts";
import { rateData, workqueueData } from "./chart-data/rates.ts";
import { timelineData } from "./chart-data/timeline.ts";
import type { ChartData } from "./chart-data/types.ts";

export interface ChartDefinition {
  /** File stem: charts/<id>.vl.json in, charts/<id>.svg|png out. */
  id: string;
  title: string;
  data(results: Results): ChartData;
}

/** In reading order: the first is the picture a scale test is read by. */
export const RUN_CHARTS: readonly ChartDefinition[] = [
  { id: "convergence", title: "Objects Ready over time", data: convergenceData },
  { id: "latency-percentiles", title: "Latency percentiles over time", data: latencyPercentilesData },
  { id: "latency-cdf", title: "Latency distribution (CDF)", data: latencyCdfData },
  { id: "rate", title: "Target vs achieved rate", data: rateData },
  { id: "workqueue", title: "Workqueue depth and reconcile rate", data: workqueueData },
  { id: "cost-curve", title: "Cost curve (CPU and RSS vs objects)", data: costCurveData },
  { id: "failover-timeline", title: "Failover timeline", data: timelineData },
  { id: "hot-functions", title: "Top hot functions", data: hotPathsData },
];
