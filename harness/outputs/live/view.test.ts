import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { HarnessError } from "../../errors.ts";
import { RunEventLog } from "../../measure/events/run-events.ts";
import { MetricStore } from "../../measure/metrics/store.ts";
import { RUN_CHARTS } from "../../report/chart-catalog.ts";
import { syntheticFullRun } from "../../results/synthetic/fixtures.ts";
import { DEFAULT_DASHBOARD_PORT, dashboardUrl, listenDashboard, parseDashboardPort } from "./port.ts";
import { AT_END, LiveView } from "./view.ts";

/** Reads server-sent events from `url` until `done` says enough; returns them as [event, data]. */
async function readEvents(
  url: string,
  done: (seen: Array<[string, unknown]>) => boolean,
  whileReading: () => void,
): Promise<Array<[string, unknown]>> {
  const res = await fetch(url);
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const reader = res.body!.getReader();
  const seen: Array<[string, unknown]> = [];
  let text = "";
  whileReading();
  while (!done(seen)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += new TextDecoder().decode(value);
    let end = text.indexOf("\n\n");
    while (end !== -1) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.+)$/m.exec(block)?.[1];
      seen.push([event, data === undefined ? undefined : JSON.parse(data)]);
      end = text.indexOf("\n\n");
    }
  }
  await reader.cancel();
  return seen;
}

/** A GET with the path sent as written (fetch would resolve `..` first). */
async function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((ok, fail) => {
    request({ host: hostname, port, path, method: "GET" }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on("end", () => ok({ status: res.statusCode ?? 0, body }));
    })
      .on("error", fail)
      .end();
  });
}

describe("live view", () => {
  it("--dashboard: a bare flag is 5665, a number is a port, anything else is refused in one line", () => {
    assert.equal(parseDashboardPort(true), DEFAULT_DASHBOARD_PORT);
    assert.equal(parseDashboardPort("0"), 0);
    assert.equal(parseDashboardPort("8080"), 8080);
    for (const bad of ["http", "-1", "65536", "80.5", ""])
      assert.throws(
        () => parseDashboardPort(bad),
        (err: unknown) => err instanceof HarnessError && !err.message.includes("\n"),
      );
  });

  it("a port something holds is refused before anything is served", async () => {
    const holder = createServer();
    await new Promise<void>((ok) => holder.listen(0, "127.0.0.1", ok));
    const port = (holder.address() as { port: number }).port;
    try {
      await assert.rejects(listenDashboard(port), /cannot listen on 127\.0\.0\.1:\d+ \(the port is in use\)/);
    } finally {
      holder.close();
    }
  });

  it("serves a figure for every chart of the report, in the report's order", async () => {
    const server = await listenDashboard(0);
    const view = await LiveView.open(server, "smoke");
    const url = dashboardUrl(server);
    try {
      const page = await (await fetch(url)).text();
      const figures = [...page.matchAll(/<figure id="chart-([\w-]+)" data-chart="([\w-]+)"/g)].map(
        (m) => m[1],
      );
      assert.deepEqual(
        figures,
        RUN_CHARTS.map((c) => c.id),
      );
      for (const chart of RUN_CHARTS)
        assert.ok(page.includes(`<strong>${chart.title}</strong>`), chart.title);
      assert.match(page, /"\$schema":"https:\/\/vega\.github\.io\/schema\/vega-lite\/v6\.json"/);
      assert.equal((await fetch(`${url}vendor/vega.min.js`)).status, 200);
    } finally {
      await view.close();
    }
  });

  it("streams the state, the charts that changed as the run records, each event, then every chart from the results", async () => {
    const server = await listenDashboard(0);
    const view = await LiveView.open(server, "smoke");
    const url = dashboardUrl(server);
    const results = syntheticFullRun();
    try {
      const origin = performance.now();
      const run = {
        id: "smoke-1",
        startedAtMs: Date.now(),
        store: new MetricStore(origin),
        events: new RunEventLog(origin),
        labels: { scenario: "smoke" },
        phases: ["create-sites", "sites-ready"],
        status: () => "observed 3/50",
        checkpoints: () =>
          [100, 200, 300, 400].map((objects) => ({ objects, operator_cpu_cores: objects / 1000 })),
      };
      const stop = view.attach(run);
      const seen = await readEvents(
        `${url}events`,
        (s) => s.some(([e]) => e === "end"),
        () => {
          run.events.record("phase.start", "harness", { name: "create-sites", kind: "create" });
          run.store.point("sites_ready_total", 3, "objects");
          for (const ms of [5, 5, 40, 900]) run.store.record("site_ready_latency", ms);
          run.events.record("operator.kill", "harness", { replica: 0 });
          run.events.record("phase.end", "harness", { name: "create-sites", kind: "create" });
          run.events.record("phase.start", "harness", { name: "steady-state", kind: "steady-state" });
          stop();
          view.finish({ verdict: "pass", dir: "/tmp/run" }, results);
        },
      );
      const events = seen.filter(([e]) => e === "event").map(([, d]) => (d as { kind: string }).kind);
      assert.deepEqual(events, ["phase.start", "operator.kill", "phase.end", "phase.start"]);
      const state = seen.filter(([e]) => e === "state").at(-1)?.[1] as {
        phase: string;
        phaseIndex: number;
        phases: string[];
        status: string;
      };
      assert.equal(state.phase, "steady-state");
      assert.deepEqual([state.phaseIndex, state.phases.length], [3, 3], "a phase not listed is added");
      assert.equal(state.status, "observed 3/50");

      type Charts = {
        charts: Record<string, { rows?: Array<Record<string, unknown>>; missing?: string }>;
        final: boolean;
      };
      const updates = seen.filter(([e]) => e === "charts").map(([, d]) => d as Charts);
      const first = updates[0]!;
      assert.deepEqual(
        Object.keys(first.charts),
        RUN_CHARTS.map((c) => c.id),
        "a new page gets every chart",
      );
      for (const chart of RUN_CHARTS.filter((c) => !c.live))
        assert.equal(first.charts[chart.id]?.missing, AT_END, `${chart.id} waits for the end`);
      const live = updates.filter((u) => !u.final).at(-1)!;
      assert.deepEqual(
        live.charts.convergence?.rows?.map((r) => [r.series, r.value]),
        [["Sites Ready", 3]],
      );
      assert.deepEqual(
        live.charts["latency-cdf"]?.rows?.map((r) => r.percentile),
        [0, 50, 75, 100],
        "the CDF grows from the latencies recorded so far",
      );
      const timeline = live.charts["failover-timeline"]?.rows ?? [];
      assert.deepEqual(
        timeline.map((r) => [r.category, r.label]),
        [
          ["phase", "create-sites"],
          ["phase", "steady-state"],
          ["injection", "operator.kill replica=0"],
        ],
        "the timeline from the events so far, the phase still going included",
      );
      assert.match(live.charts.rate?.missing ?? "", /^not yet: /, "a live chart without data says why");
      assert.deepEqual(
        live.charts["cost-curve"]?.rows
          ?.filter((r) => r.kind === "observed")
          .map((r) => [r.objects, r.value]),
        [
          [100, 0.1],
          [200, 0.2],
          [300, 0.3],
          [400, 0.4],
        ],
        "the cost curve from the checkpoints taken so far",
      );
      assert.match(String(live.charts["cost-curve"]?.rows?.[0]?.panel), /slope 1\.000 cores \/ 1000 objects/);
      assert.equal(live.charts["hot-functions"], undefined, "the profile comes with the results only");

      const final = updates.at(-1)!;
      assert.equal(final.final, true);
      for (const chart of RUN_CHARTS) {
        const expected = chart.data(results);
        assert.deepEqual(
          final.charts[chart.id],
          "missing" in expected ? { missing: `not available — ${expected.missing}` } : expected,
          `${chart.id} is the report's`,
        );
      }
      assert.deepEqual(seen.at(-1), ["end", { verdict: "pass", dir: "/tmp/run" }]);
      assert.equal(view.reportUrl, undefined, "no report, nothing served");
    } finally {
      await view.close();
    }
  });

  it("after the run serves the report from the run directory, and nothing outside it", async () => {
    const root = await mkdtemp(join(tmpdir(), "live-report-"));
    const dir = join(root, "run");
    await mkdir(join(dir, "charts"), { recursive: true });
    const html = "<!doctype html><title>report</title><p>the report</p>";
    await writeFile(join(dir, "index.html"), html);
    await writeFile(join(dir, "charts", "convergence.svg"), "<svg/>");
    await writeFile(join(root, "secret.txt"), "the secret");
    await writeFile(join(root, "run-other.txt"), "a sibling whose name starts like the directory");
    await symlink(join(root, "secret.txt"), join(dir, "link.txt"));
    const server = await listenDashboard(0);
    const view = await LiveView.open(server, "smoke", { lingerSeconds: 30 });
    const url = dashboardUrl(server);
    try {
      assert.equal((await fetch(`${url}report/`)).status, 404, "nothing before the run ends");
      assert.equal(view.reportLine(), "");
      view.finish({ verdict: "fail", dir, report: join(dir, "index.html") });
      assert.equal(view.reportUrl, `${url}report/`);
      assert.equal(view.reportLine(), `  report: ${url}report/ (served for 30 s; Ctrl-C stops it)\n`);

      const page = await fetch(view.reportUrl!);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
      assert.equal(await page.text(), html);
      const svg = await fetch(`${url}report/charts/convergence.svg`);
      assert.deepEqual([svg.status, svg.headers.get("content-type")], [200, "image/svg+xml"]);
      assert.equal((await fetch(`${url}report/charts/none.svg`)).status, 404);

      for (const path of [
        "/report/../secret.txt",
        "/report/..%2fsecret.txt",
        "/report/%2e%2e/secret.txt",
        "/report/charts/..%2F..%2Fsecret.txt",
        "/report/%2Fetc%2Fpasswd",
        "/report/..%2frun-other.txt",
        "/report/link.txt",
        "/report/%00index.html",
      ]) {
        const res = await rawGet(url, path);
        assert.ok([403, 404].includes(res.status), `${path}: ${res.status}`);
        assert.ok(
          !res.body.includes("secret") && !res.body.includes("sibling"),
          `${path} serves nothing outside`,
        );
      }
    } finally {
      await view.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it("without a linger the report is named by its path, not linked to a server about to close", async () => {
    const server = await listenDashboard(0);
    const view = await LiveView.open(server, "smoke");
    try {
      view.finish({ verdict: "pass", dir: tmpdir(), report: join(tmpdir(), "index.html") });
      assert.equal(view.reportUrl, undefined);
      assert.equal(view.reportLine(), "");
      assert.equal((await fetch(`${dashboardUrl(server)}report/`)).status, 404);
      await view.linger();
    } finally {
      await view.close();
    }
  });

  it("lingers after the run only with a report to serve, until its time is up or it is stopped", async () => {
    const server = await listenDashboard(0);
    const view = await LiveView.open(server, "smoke", { lingerSeconds: 3600 });
    try {
      await view.linger();
      view.finish({ verdict: "pass", dir: tmpdir(), report: join(tmpdir(), "index.html") });
      const stop = new AbortController();
      const lingering = view.linger(stop.signal);
      let done = false;
      void lingering.then(() => {
        done = true;
      });
      await new Promise((ok) => setImmediate(ok));
      assert.equal(done, false, "it waits while the report is served");
      stop.abort();
      await lingering;
    } finally {
      await view.close();
    }
  });
});
