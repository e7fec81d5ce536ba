/**
 * The live view of `run --dashboard`: a page on loopback showing the run's progress, the
 * report's time-series charts (the same vega-lite specs, drawn in the browser from the same row
 * builders, fed from the run's metric store as it records) and the event log, kept current by
 * server-sent events. When the command ends it sends the verdict and the report's path, and the
 * page keeps what it shows after the server is gone.
 *
 * The harness only collects rows and sends them (every PUSH_MS, small); drawing is the browser's
 * work, so watching a run costs the measured machine next to nothing.
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { RunEvent } from "../../measure/events/run-events.ts";
import type { StoreSample } from "../../measure/metrics/store.ts";
import { convergenceData } from "../../report/chart-data/convergence.ts";
import { latencyPercentilesData } from "../../report/chart-data/latency.ts";
import { rateData, workqueueData } from "../../report/chart-data/rates.ts";
import type { ChartData, SeriesSource } from "../../report/chart-data/types.ts";
import { loadSpec, type VegaLiteSpec } from "../../report/render/spec.ts";
import type { Metric, Results } from "../../results/schema.ts";
import type { RunFeed } from "../sink.ts";
import { livePage } from "./page.ts";

/** The report's charts drawn from series (so they grow as the run records), by their spec's id. */
export const LIVE_CHARTS: Readonly<Record<string, (source: SeriesSource) => ChartData>> = {
  convergence: convergenceData,
  "latency-percentiles": latencyPercentilesData,
  rate: rateData,
  workqueue: workqueueData,
};
const PUSH_MS = 2_000;
/** The page's event log keeps the latest events; the run's full log is in results.json. */
const EVENTS_KEPT = 300;

const require = createRequire(import.meta.url);
/** The browser builds beside each package's entry point (their `exports` do not list them). */
const VENDOR: Record<string, string> = {
  "/vendor/vega.min.js": join(dirname(require.resolve("vega")), "vega.min.js"),
  "/vendor/vega-lite.min.js": join(dirname(require.resolve("vega-lite")), "vega-lite.min.js"),
};

export interface LiveState {
  scenario: string;
  runId: string;
  /** Seconds since the run started. */
  elapsed: number;
  phase: string | undefined;
  /** 1-based index of the current phase among `phases`. */
  phaseIndex: number;
  phases: readonly string[];
  /** The progress line (rate, objects, p99, CPU) as the console shows it. */
  status: string;
  charts: Record<string, ChartData>;
}

export interface LiveEnd {
  verdict: Results["verdict"] | "error";
  /** The results directory, and its report when one was rendered. */
  dir?: string;
  report?: string;
  message?: string;
}

export class LiveView {
  readonly server: Server;
  private readonly clients = new Set<ServerResponse>();
  private readonly events: RunEvent[] = [];
  private state: LiveState | undefined;
  private ended: LiveEnd | undefined;
  private specs: Record<string, VegaLiteSpec> = {};

  private constructor(server: Server, scenario: string) {
    this.server = server;
    this.server.on("request", (req, res) => void this.handle(req, res, scenario));
  }

  static async open(server: Server, scenario: string): Promise<LiveView> {
    const view = new LiveView(server, scenario);
    for (const id of Object.keys(LIVE_CHARTS)) view.specs[id] = (await loadSpec(id)).spec;
    return view;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, scenario: string): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(livePage(scenario, this.specs));
    } else if (path === "/events") {
      res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      this.clients.add(res);
      req.on("close", () => this.clients.delete(res));
      if (this.state) this.send(res, "state", this.state);
      for (const e of this.events) this.send(res, "event", e);
      if (this.ended) this.send(res, "end", this.ended);
    } else if (VENDOR[path]) {
      res.writeHead(200, { "content-type": "text/javascript", "cache-control": "max-age=3600" });
      res.end(await readFile(VENDOR[path]!));
    } else res.writeHead(404).end();
  }

  private send(res: ServerResponse, event: string, data: unknown): void {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private broadcast(event: string, data: unknown): void {
    for (const c of this.clients) this.send(c, event, data);
  }

  /** Follows one run (one repeat): its series, phases and events. Returns how to stop following. */
  attach(run: RunFeed): () => void {
    const series = new Map<string, Extract<Metric, { type: "series" }>>();
    let phase: string | undefined;
    let phaseIndex = 0;
    // A phase the scenario does not list (the steady-state window a run ends with) is added.
    const phases = [...(run.phases ?? [])];
    let latestT = 0;
    const offSamples = run.store.subscribe((s: StoreSample) => {
      latestT = Math.max(latestT, s.t);
      if (s.type !== "series") return;
      let m = series.get(s.name);
      if (!m) {
        m = { type: "series", unit: s.unit, points: [] };
        series.set(s.name, m);
      }
      m.points.push([s.t, s.value]);
    });
    const offEvents = run.events.subscribe((e) => {
      if (e.kind === "phase.start" && typeof e.detail.name === "string") {
        phase = e.detail.name;
        let at = phases.indexOf(phase, Math.max(0, phaseIndex - 1));
        if (at === -1) at = phases.push(phase) - 1;
        phaseIndex = at + 1;
      }
      this.events.push(e);
      if (this.events.length > EVENTS_KEPT) this.events.shift();
      this.broadcast("event", e);
    });
    const push = () => {
      const elapsed = Math.max(latestT, (Date.now() - run.startedAtMs) / 1000);
      const source: SeriesSource = {
        metrics: Object.fromEntries(series),
        run: { durationSeconds: elapsed },
      };
      const charts: Record<string, ChartData> = {};
      for (const [id, data] of Object.entries(LIVE_CHARTS)) charts[id] = data(source);
      this.state = {
        scenario: run.labels.scenario ?? "",
        runId: run.id,
        elapsed: Math.round(elapsed),
        phase,
        phaseIndex,
        phases,
        status: run.status?.() ?? "",
        charts,
      };
      this.broadcast("state", this.state);
    };
    const timer = setInterval(push, PUSH_MS);
    timer.unref();
    return () => {
      clearInterval(timer);
      push();
      offSamples();
      offEvents();
    };
  }

  /** The command is done: the page shows the verdict and links the report. */
  finish(end: LiveEnd): void {
    if (this.ended) return;
    this.ended = end;
    this.broadcast("end", end);
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.end();
    this.clients.clear();
    await new Promise<void>((ok) => {
      this.server.close(() => ok());
      this.server.closeAllConnections();
    });
  }
}
