/**
 * `run --out prometheus-rw=…` against a real Prometheus (remote-write receiver on loopback, its
 * TSDB in a temp dir): the figures Prometheus answers for the run's id equal results.json's (and
 * histogram_quantile over the run's buckets agrees with its p99 within one bucket), the
 * thresholds and the verdict are there, the summary counts what the sink sent — and every PromQL
 * expression of the shipped Grafana dashboards (panels, annotations, variables), with the run's
 * labels for the dashboard's variables, returns data. Prometheus is stopped at the end, also when
 * an assertion fails.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { shippedDashboards } from "../../../harness/outputs/grafana/index.ts";
import { dashboardQueries, substitute } from "../../../harness/outputs/grafana/queries.ts";
import { bucketBounds } from "../../../harness/outputs/remote-write/buckets.ts";
import { splitMetricKey } from "../../../harness/outputs/sink.ts";
import { loadResults } from "../../../harness/results/load.ts";
import type { Results } from "../../../harness/results/schema.ts";
import { upstreamOperatorSource } from "../../prerequisites/prerequisites.ts";
import { requires } from "../../prerequisites/requires.ts";
import { PrometheusServer } from "./prometheus-server.ts";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const CLI = join(ROOT, "harness", "cli", "main.ts");
const SMOKE_WITH_FAULT = join(import.meta.dirname, "scenarios", "smoke-with-fault.ts");

/** `run <scenario>` with the prometheus-rw and json sinks; its results and output. */
async function runWithSink(
  prometheus: PrometheusServer,
  scenario: string,
  extra: string[] = [],
): Promise<{ results: Results; stdout: string; out: string }> {
  const out = mkdtempSync(join(tmpdir(), "run-prometheus-rw-"));
  const res = await execa(
    process.execPath,
    [
      CLI,
      "run",
      scenario,
      "--out",
      out,
      "--out",
      `prometheus-rw=${prometheus.writeUrl}`,
      "--out",
      `json=${join(out, "stream.jsonl")}`,
      "--no-report",
      "--set",
      'thresholds={"lost_updates":["count==0"],"dropped_iterations":["count==0"]}',
      // A loaded machine starts kube-apiserver slowly; this test is about the sink, not start-up.
      "--set",
      "cluster.knobs.startTimeoutSeconds=240",
      ...extra,
    ],
    { cwd: ROOT, reject: false, timeout: 540_000, env: { CI: "1" } },
  );
  // 99 (a threshold failed on a loaded machine) and 98 (inconclusive) still have every figure
  // sent: the sink is what is tested.
  assert.ok(
    [0, 98, 99].includes(res.exitCode ?? -1),
    `exit ${res.exitCode}\n${res.stderr.slice(-3000)}\n${res.stdout.slice(-2000)}`,
  );
  return { results: await loadResults(join(out, "results.json")), stdout: res.stdout, out };
}

/** How Grafana would step over the range a dashboard is opened with. */
interface View {
  stepSeconds: number;
  /** Seconds after now that the range ends (its last step). */
  endsAfterNow: number;
  /** Seconds the range covers before its end. */
  rangeSeconds?: number;
}

/** A run's own dashboards over the run: 5-second steps, the last one at or after now. */
const OVER_THE_RUN: View = { stepSeconds: 5, endsAfterNow: 0 };
/**
 * The history dashboard as Grafana steps over days (a 7-day view steps by about 10 minutes),
 * its last step more than Prometheus' 5-minute look-back after the run's end: only a query that
 * reads each step's whole window (not the instant at the step) sees the run there.
 */
const OVER_DAYS: View = { stepSeconds: 600, endsAfterNow: 400, rangeSeconds: 3600 };

/**
 * Every expression of `files` evaluated as Grafana would for this run: range queries over the
 * view's range, instant ones at its end. Returns the expressions that answered no data.
 */
async function emptyQueries(
  prometheus: PrometheusServer,
  files: readonly string[],
  results: Results,
  values: Record<string, string>,
  view: View = OVER_THE_RUN,
): Promise<string[]> {
  const now = Math.ceil(Date.now() / 1000);
  const step = view.stepSeconds;
  const start = view.rangeSeconds
    ? now + view.endsAfterNow - view.rangeSeconds
    : Math.floor(Date.parse(results.run.startedAt) / 1000) - 30;
  // Steps from `start`, the last at or after now (+ endsAfterNow): the run's end is in the range.
  const end = start + Math.ceil((now + view.endsAfterNow - start) / step) * step;
  const empty: string[] = [];
  const dashboards = (await shippedDashboards()).filter((d) => files.includes(d.file));
  assert.equal(dashboards.length, files.length, `dashboards ${files.join(", ")}`);
  for (const { file, dashboard } of dashboards)
    for (const q of dashboardQueries(dashboard)) {
      const expr = substitute(q.expr, values, end - start, step);
      const answered = q.instant
        ? await prometheus.query(expr, end)
        : await prometheus.queryRange(expr, start, end, step);
      if (answered.length === 0) empty.push(`${file} ${q.where}: ${expr}`);
    }
  return empty;
}

describe("--out prometheus-rw", { ...requires("prometheus"), concurrency: false }, () => {
  let prometheus: PrometheusServer;

  before(async () => {
    prometheus = await PrometheusServer.start();
  });

  after(async () => {
    await prometheus?.stop();
  });

  async function one(expr: string): Promise<number> {
    const result = await prometheus.query(expr);
    assert.equal(result.length, 1, `${expr}: ${JSON.stringify(result)}`);
    return Number(result[0]!.value[1]);
  }

  it("Prometheus answers the run's figures, thresholds and verdict as results.json has them, and every dashboard query returns data", {
    timeout: 600_000,
  }, async () => {
    const { results, stdout } = await runWithSink(prometheus, SMOKE_WITH_FAULT);
    const id = results.run.id;
    const sel = (extra = "") =>
      `{run_id="${id}",scenario="smoke-with-fault",cluster_provider="embedded"${extra}}`;

    const lost = results.metrics.lost_updates;
    assert.ok(lost && lost.type === "counter", "smoke records lost_updates");
    assert.equal(await one(`patronus_bench_lost_updates${sel()}`), lost.value);

    const [key, latency] = Object.entries(results.metrics).find(
      ([k, m]) => k.startsWith("site_ready_latency") && m.type === "distribution",
    ) ?? [undefined, undefined];
    assert.ok(key && latency?.type === "distribution", "smoke records site_ready_latency");
    const own = Object.entries(splitMetricKey(key).labels)
      .map(([k, v]) => `,${k}="${v}"`)
      .join("");
    // The run-wide distribution has no phase; `phase=""` keeps the per-phase ones out.
    const only = own === "" ? ',phase=""' : own;
    assert.ok(latency.count > 0);
    assert.equal(await one(`patronus_bench_site_ready_latency_count${sel(only)}`), latency.count);
    assert.equal(
      await one(`patronus_bench_site_ready_latency${sel(`${only},quantile="0.99"`)}`),
      latency.p99,
    );

    // The same distribution as classic histogram buckets: +Inf holds every observation, and
    // histogram_quantile lands in the bucket that holds results.json's p99.
    assert.equal(
      await one(`patronus_bench_site_ready_latency_bucket${sel(`${only},le="+Inf"`)}`),
      latency.count,
      '_bucket{le="+Inf"} = _count',
    );
    const fromBuckets = await one(
      `histogram_quantile(0.99, sum by (le) (patronus_bench_site_ready_latency_bucket${sel(only)}))`,
    );
    const bounds = bucketBounds("ms")!;
    const bucket = (v: number) => bounds.findIndex((b) => v <= b);
    const at = bucket(fromBuckets);
    // HdrHistogram's p99 is the top of its bin (at most 0.1% wide) and a bin holding a bound
    // counts under it: right above a bound, p99 belongs to the bucket below.
    assert.ok(
      [bucket(latency.p99), bucket(latency.p99 / 1.001)].includes(at),
      `histogram_quantile p99 ${fromBuckets} ms lies in (${bounds[at - 1] ?? 0}, ${bounds[at]}], not the bucket of results.json's p99 ${latency.p99} ms: they must agree within one bucket (bounds √2 apart)`,
    );

    const series = await prometheus.query(`patronus_bench_lost_updates${sel()}`);
    assert.equal(series[0]!.metric.git_commit, results.run.git.commit);
    assert.equal(series[0]!.metric.operator, results.run.operator.name);

    const thresholds = await prometheus.query(`patronus_bench_threshold${sel()}`);
    const judged = results.thresholds.filter((t) => t.status === "pass" || t.status === "fail");
    assert.equal(thresholds.length, judged.length);
    for (const t of judged) {
      const found = thresholds.find(
        (v) => v.metric.metric === t.metric && v.metric.expression === t.expression,
      );
      assert.ok(found, `threshold ${t.metric} ${t.expression} in Prometheus`);
      assert.equal(found.value[1], t.status === "pass" ? "1" : "0");
    }
    assert.equal(
      await one(`patronus_bench_verdict${sel(`,verdict="${results.verdict}"`)}`),
      results.verdict === "pass" ? 1 : 0,
    );

    const sent = results.metrics[`output_samples_sent{sink="prometheus-rw",target="${prometheus.writeUrl}"}`];
    const dropped =
      results.metrics[`output_samples_dropped{sink="prometheus-rw",target="${prometheus.writeUrl}"}`];
    assert.ok(sent?.type === "counter" && sent.value > 0, "results.json counts the samples sent");
    assert.ok(
      dropped?.type === "counter" && dropped.value === 0,
      `nothing dropped: ${stdout.split("\n").find((l) => l.startsWith("out prometheus-rw="))}`,
    );
    assert.match(stdout, new RegExp(`out prometheus-rw=\\S+: ${sent.value} sent, 0 dropped`));
    assert.match(stdout, /out json=\S+stream\.jsonl: \d+ sent, 0 dropped/);

    const faults = await prometheus.query(`patronus_bench_event${sel(',kind="fault.inject"')}`);
    assert.equal(faults.length, 1, "the injected fault is an event series");

    const values = { scenario: "smoke-with-fault", operator: "reference", run_id: id, replica: ".*" };
    const empty = [
      ...(await emptyQueries(prometheus, ["run.json", "operator-reference.json"], results, values)),
      ...(await emptyQueries(prometheus, ["history.json"], results, values, OVER_DAYS)),
    ];
    assert.deepEqual(empty, [], "dashboard queries that returned no data");
  });

  it("the upstream operator's dashboard: every query returns data for a run of it", {
    ...requires("patronus-rs"),
    timeout: 600_000,
  }, async () => {
    const { results } = await runWithSink(prometheus, "smoke", [
      "--operator",
      "patronus-rs",
      "--operator-source",
      upstreamOperatorSource(),
    ]);
    const empty = await emptyQueries(prometheus, ["operator-patronus-rs.json"], results, {
      run_id: results.run.id,
      replica: ".*",
    });
    assert.deepEqual(empty, [], "dashboard queries that returned no data");
  });
});
