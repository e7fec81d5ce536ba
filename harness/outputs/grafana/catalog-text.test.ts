import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { METRIC_CATALOG, type MetricInfo } from "../../results/metric-catalog.ts";
import { grafanaUnit, metricText, sharedUnit } from "./catalog-text.ts";
import { historyDashboard } from "./history.ts";
import { runDashboard } from "./run.ts";

/** The catalog entry of `name` changed for the length of `body`. */
function withCatalogEntry(name: string, change: Partial<MetricInfo>, body: () => void): void {
  const catalog = METRIC_CATALOG as Record<string, MetricInfo>;
  const before = catalog[name]!;
  catalog[name] = { ...before, ...change };
  try {
    body();
  } finally {
    catalog[name] = before;
  }
}

describe("panel text from the metric catalog", () => {
  it("takes title, description and unit from the catalog, without the Series: prefix", () => {
    assert.deepEqual(metricText("workqueue_depth"), {
      title: METRIC_CATALOG.workqueue_depth!.title,
      description: METRIC_CATALOG.workqueue_depth!.description.replace(/^Series: i/, "I"),
      unit: "short",
    });
    assert.equal(metricText("site_ready_latency").unit, "ms");
    assert.equal(metricText("coverage_ratio").unit, "percentunit");
    assert.equal(grafanaUnit("bytes"), "bytes");
    assert.equal(grafanaUnit("objects"), "short");
  });

  it("refuses a name the catalog does not hold and metrics of differing units on one axis", () => {
    assert.throws(() => metricText("no_such_metric"), /no_such_metric is not in the metric catalog/);
    assert.throws(() => sharedUnit(["site_ready_latency", "lost_updates"]), /differ in unit/);
  });

  it("a metric renamed or re-described in the catalog is renamed on both dashboards", () => {
    withCatalogEntry("site_ready_latency", { title: "Ready in", description: "Series: how long." }, () => {
      const run = runDashboard().panels?.find((p) => p.title === "Ready in");
      assert.ok(run && "description" in run, "the run dashboard's panel takes the new title");
      assert.match(run.description ?? "", /^How long\. Percentiles per window/);
      const history = historyDashboard().panels?.find((p) => p.title === "Ready in p99");
      assert.ok(history && "description" in history, "the history dashboard's panel takes the new title");
      assert.equal(history.description, "How long.");
    });
    withCatalogEntry("target_rate", { title: "Aimed at" }, () => {
      const load = runDashboard().panels?.find((p) => p.title === "Load rate");
      const legends =
        load && "targets" in load
          ? load.targets?.map((t) => (t as { legendFormat?: string }).legendFormat)
          : [];
      assert.deepEqual(legends, ["Aimed at", METRIC_CATALOG.achieved_rate!.title]);
    });
  });
});
