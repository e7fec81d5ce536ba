import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import { HarnessError } from "../../errors.ts";
import { RunEventLog } from "../../measure/events/run-events.ts";
import { MetricStore } from "../../measure/metrics/store.ts";
import { DEFAULT_DASHBOARD_PORT, dashboardUrl, listenDashboard, parseDashboardPort } from "./port.ts";
import { LiveView } from "./view.ts";

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

  it("serves the page and streams the state (phase, chart rows), each event, then the end", async () => {
    const server = await listenDashboard(0);
    const view = await LiveView.open(server, "smoke");
    const url = dashboardUrl(server);
    try {
      const page = await (await fetch(url)).text();
      assert.match(page, /<figure id="chart-convergence"/);
      assert.match(page, /"\$schema":"https:\/\/vega\.github\.io\/schema\/vega-lite\/v6\.json"/);
      assert.equal((await fetch(`${url}vendor/vega.min.js`)).status, 200);

      const origin = performance.now();
      const run = {
        id: "smoke-1",
        startedAtMs: Date.now(),
        store: new MetricStore(origin),
        events: new RunEventLog(origin),
        labels: { scenario: "smoke" },
        phases: ["create-sites", "sites-ready"],
        status: () => "observed 3/50",
      };
      const stop = view.attach(run);
      const seen = await readEvents(
        `${url}events`,
        (s) => s.some(([e]) => e === "end"),
        () => {
          run.events.record("phase.start", "harness", { name: "create-sites", kind: "create" });
          run.store.point("sites_ready_total", 3, "objects");
          run.events.record("phase.start", "harness", { name: "steady-state", kind: "steady-state" });
          stop();
          view.finish({ verdict: "pass", dir: "/tmp/run", report: "/tmp/run/index.html" });
        },
      );
      const events = seen.filter(([e]) => e === "event").map(([, d]) => (d as { kind: string }).kind);
      assert.deepEqual(events, ["phase.start", "phase.start"]);
      const state = seen.filter(([e]) => e === "state").at(-1)?.[1] as {
        phase: string;
        phaseIndex: number;
        phases: string[];
        status: string;
        charts: Record<string, { rows?: Array<{ series: string; value: number }>; missing?: string }>;
      };
      assert.equal(state.phase, "steady-state");
      assert.deepEqual([state.phaseIndex, state.phases.length], [3, 3], "a phase not listed is added");
      assert.equal(state.status, "observed 3/50");
      assert.deepEqual(
        state.charts.convergence?.rows?.map((r) => [r.series, r.value]),
        [["Sites Ready", 3]],
      );
      assert.ok(state.charts.rate?.missing, "a chart without data says why");
      assert.deepEqual(seen.at(-1), [
        "end",
        { verdict: "pass", dir: "/tmp/run", report: "/tmp/run/index.html" },
      ]);
    } finally {
      await view.close();
    }
  });
});
