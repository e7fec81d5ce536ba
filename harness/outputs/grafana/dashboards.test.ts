import assert from "node:assert/strict";
import { relative } from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT } from "../../paths.ts";
import { METRIC_CATALOG } from "../../results/metric-catalog.ts";
import { expectedDashboards } from "./generate.ts";
import { shippedDashboards } from "./index.ts";
import { metricShape, operatorPanels } from "./operator.ts";
import { dashboardQueries, substitute, usedVariables } from "./queries.ts";

/** What the prometheus-rw sink sends beside the catalog's metrics. */
const SINK_SERIES = new Set(["event", "threshold", "verdict"]);
const SINK_SUFFIX = /_(window|count|sum|max|bucket)$/;

describe("Grafana dashboards", () => {
  it("the committed dashboards/*.json are what the code generates (npm run dashboards:generate)", async () => {
    for (const d of await expectedDashboards())
      assert.equal(
        d.current,
        d.expected,
        `${relative(REPO_ROOT, d.path)} is out of date: run npm run dashboards:generate`,
      );
  });

  it("every panel says what it shows and has queries; every variable a query uses is defined", async () => {
    for (const { file, dashboard } of await shippedDashboards()) {
      const defined = new Set((dashboard.templating?.list ?? []).map((v) => v.name));
      for (const panel of dashboard.panels ?? []) {
        assert.ok("description" in panel && panel.description, `${file} "${panel.title}": no description`);
        assert.ok(
          "targets" in panel && (panel.targets?.length ?? 0) > 0,
          `${file} "${panel.title}": no query`,
        );
      }
      const queries = dashboardQueries(dashboard);
      assert.ok(queries.length > 5, file);
      for (const q of queries)
        for (const v of usedVariables(q.expr))
          assert.ok(defined.has(v), `${file} ${q.where}: $${v} is not a variable`);
    }
  });

  it("every patronus_bench_ name a query reads is one the sink sends (a catalog metric or its summary and histogram parts)", async () => {
    for (const { file, dashboard } of await shippedDashboards())
      for (const q of dashboardQueries(dashboard))
        for (const [, name] of q.expr.matchAll(/\bpatronus_bench_([a-z_]+)/g)) {
          const base = name!.replace(SINK_SUFFIX, "");
          assert.ok(
            SINK_SERIES.has(base) || base in METRIC_CATALOG || name! in METRIC_CATALOG,
            `${file} ${q.where}: patronus_bench_${name} is not a metric the sink sends`,
          );
        }
  });

  it("the operator dashboard has a panel per declared name, shaped by its suffix", () => {
    const panels = operatorPanels({
      reconcileTotal: "my_reconciles_total",
      reconcileDuration: "my_reconcile_duration_seconds",
      others: ["my_things", "my_cache_misses_total"],
    });
    assert.deepEqual(
      panels.map((p) => p.title),
      ["Reconciles", "Reconcile duration", "my_things", "my_cache_misses_total"],
    );
    assert.match(panels[0]!.queries[0]!.expr, /rate\(my_reconciles_total\{/);
    assert.match(
      panels[0]!.queries[0]!.expr,
      / or sum by \(replica\) \(0 \* up\{/,
      "0 where nothing was counted yet",
    );
    assert.match(
      panels[1]!.queries[1]!.expr,
      /histogram_quantile\(0\.99, .*my_reconcile_duration_seconds_bucket/,
    );
    assert.deepEqual(
      [
        "a_total",
        "b_request_duration_seconds",
        "c_reconcile_time_seconds",
        "d_unfinished_work_seconds",
        "e",
      ].map(metricShape),
      ["counter", "histogram", "histogram", "gauge", "gauge"],
    );
  });

  it("variables are filled in as Grafana would: the run's labels and its interval variables", () => {
    assert.equal(
      substitute(
        'rate(x{run_id="$run_id",s=~"$scenario"}[$__rate_interval]) and last_over_time(y[$__range]) $1',
        { run_id: "r-1", scenario: "smoke" },
        120,
        5,
      ),
      'rate(x{run_id="r-1",s=~"smoke"}[60s]) and last_over_time(y[120s]) $1',
    );
  });
});
