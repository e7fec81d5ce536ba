/**
 * The counts a scale test is read by, sampled once a second from the run's own watches (exact
 * and immediate, unlike the apiserver's gauges): objects that exist, Sites whose create was
 * observed Ready so far, and expected Paths reporting a state — the report's
 * "objects Ready over time" chart.
 */
import type { MetricStore } from "../measure/metrics/store.ts";

interface Watched {
  objectCount: number;
}
interface PathsWatched {
  pathCount: number;
  reporting(): { reporting: number; expected: number };
}

export function sampleObjectCounts(store: MetricStore, crLatency: Watched, paths: PathsWatched): void {
  store.point("object_count", crLatency.objectCount + paths.pathCount, "objects");
  if (store.hasDistribution("site_ready_latency"))
    store.point("sites_ready_total", store.distribution("site_ready_latency").count, "objects");
  const p = paths.reporting();
  if (p.expected > 0 || p.reporting > 0) {
    store.point("paths_reporting", p.reporting, "objects");
    store.point("paths_expected", p.expected, "objects");
  }
}
