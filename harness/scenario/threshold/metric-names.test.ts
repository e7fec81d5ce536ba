import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { declaredMetricNames, unknownMetricReason } from "./metric-names.ts";

const phases = ["burst", "churn", "3-wait-for"];

describe("threshold metric names are checked against the catalog", () => {
  for (const name of [
    "site_ready_latency",
    'site_ready_latency{quantile="0.99"}',
    'site_ready_latency{phase="churn"}',
    'site_ready_latency{phase="churn",quantile="0.5"}',
    'apiserver_request_latency{resource="paths",verb="PATCH"}',
    'convergence_seconds{wait="paths-ready"}',
    "lost_updates",
  ]) {
    it(`accepts ${name}`, () => assert.equal(unknownMetricReason(name, { phases }), undefined));
  }

  const refused: Array<[string, RegExp]> = [
    ["site_ready_latncy", /^no metric named "site_ready_latncy" \(did you mean "site_ready_latency"\?\)$/],
    ["completely_made_up_metric", /^no metric named "completely_made_up_metric"$/],
    ["p99 latency", /is not a metric name/],
    [
      'site_ready_latency{quantile="0.95"}',
      /quantile "0.95" is not recorded \(percentile series exist for 0.5, 0.9, 0.99/,
    ],
    [
      'site_ready_latency{phase="nosuch"}',
      /the scenario has no phase "nosuch" \(its phases: burst, churn, 3-wait-for\)/,
    ],
    [
      'apiserver_request_latency{verb="PATCH",resourc="paths"}',
      /apiserver_request_latency has no label "resourc" \(its labels: resource, verb\)/,
    ],
    ['lost_updates{phase="churn"}', /^lost_updates has no labels$/],
    ["site_ready_latency{quantile=0.99}", /label quantile=0.99 must be written name="value"/],
    ['site_ready_latency{quantile="0.99"', /closed by "}"/],
  ];
  for (const [name, reason] of refused) {
    it(`refuses ${name}`, () => assert.match(unknownMetricReason(name, { phases }) ?? "accepted", reason));
  }

  it("accepts the operator's own metric names, with any labels", () => {
    const extraMetrics = declaredMetricNames({
      reconcileTotal: "patronus_reconciles_total",
      others: ["patronus_sync_errors"],
    });
    assert.deepEqual(extraMetrics, ["patronus_reconciles_total", "patronus_sync_errors"]);
    assert.equal(unknownMetricReason("patronus_sync_errors", { extraMetrics }), undefined);
    assert.equal(unknownMetricReason('patronus_sync_errors{kind="site"}', { extraMetrics }), undefined);
    assert.match(unknownMetricReason("patronus_sync_errors") ?? "", /no metric named/);
  });
});
