/**
 * The live view of `run --dashboard`: a page on loopback showing the run's progress, every chart
 * of the report (the same vega-lite specs, drawn in the browser from rows built by the report's
 * own builders, fed from the run's metric store and event log as they record) and the event log,
 * kept current by server-sent events. When the run ends every chart is filled from the final
 * results, the page shows the verdict and links the report, which this server then serves from
 * the run directory for a while (`linger`).
 *
 * The harness only collects rows and sends them (at most every PUSH_MS, only the charts that
 * changed); drawing is the browser's work, so watching a run costs the measured machine little.
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describeError } from "../../errors.ts";
import type { RunEvent } from "../../measure/events/run-events.ts";
import { RUN_CHARTS } from "../../report/chart-catalog.ts";
import type { ChartData, RunSoFar } from "../../report/chart-data/types.ts";
import { loadSpec, type VegaLiteSpec } from "../../report/render/spec.ts";
import type { Results } from "../../results/schema.ts";
import type { RunFeed } from "../sink.ts";
import { livePage } from "./page.ts";
import { dashboardUrl } from "./port.ts";
import { REPORT_PATH, serveReportFile } from "./report-files.ts";
import { RunRecording } from "./run-so-far.ts";

const PUSH_MS = 2_000;
/** The page's event log keeps the latest events; the run's full log is in results.json. */
const EVENTS_KEPT = 300;
/** What a chart whose data exists only once the run is over says until then. */
export const AT_END = "available when the run ends";

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
}

/** Charts by their spec's id; `final` once they are drawn from the run's results. */
export interface LiveCharts {
  charts: Record<string, ChartData>;
  final: boolean;
}

export interface LiveEnd {
  verdict: Results["verdict"] | "error";
  /** The results directory, and its report when one was rendered. */
  dir?: string;
  report?: string;
  /** The report as this server serves it (set by the view when there is a report). */
  reportUrl?: string;
  message?: string;
}

export interface LiveViewOptions {
  /** How long the page and the report stay served after the run (`linger`); 0: not at all. */
  lingerSeconds?: number;
}

export class LiveView {
  readonly server: Server;
  readonly lingerSeconds: number;
  private readonly clients = new Set<ServerResponse>();
  private readonly events: RunEvent[] = [];
  private readonly specs: Record<string, { title: string; spec: VegaLiteSpec }>;
  private state: LiveState | undefined;
  private charts: Record<string, ChartData> = {};
  /** Each chart as last sent: a chart is sent again only when its rows change. */
  private sent: Record<string, string> = {};
  private final = false;
  private ended: LiveEnd | undefined;

  private constructor(
    server: Server,
    scenario: string,
    specs: Record<string, { title: string; spec: VegaLiteSpec }>,
    options: LiveViewOptions,
  ) {
    this.server = server;
    this.specs = specs;
    this.lingerSeconds = options.lingerSeconds ?? 0;
    this.server.on("request", (req, res) => void this.handle(req, res, scenario));
    this.update(startingCharts(), false);
  }

  static async open(server: Server, scenario: string, options: LiveViewOptions = {}): Promise<LiveView> {
    const specs: Record<string, { title: string; spec: VegaLiteSpec }> = {};
    for (const { id, title } of RUN_CHARTS) specs[id] = { title, spec: (await loadSpec(id)).spec };
    return new LiveView(server, scenario, specs, options);
  }

  /** The report's URL while this server serves it (after the run, when a report was written). */
  get reportUrl(): string | undefined {
    return this.ended?.reportUrl;
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
      this.send(res, "charts", { charts: this.charts, final: this.final } satisfies LiveCharts);
      for (const e of this.events) this.send(res, "event", e);
      if (this.ended) this.send(res, "end", this.ended);
    } else if (VENDOR[path]) {
      res.writeHead(200, { "content-type": "text/javascript", "cache-control": "max-age=3600" });
      res.end(await readFile(VENDOR[path]!));
    } else if (path.startsWith(REPORT_PATH) && this.ended?.reportUrl && this.ended.dir) {
      // The raw path: the URL parser would already have resolved `..` segments.
      const raw = (req.url ?? "").split(/[?#]/)[0]!.slice(REPORT_PATH.length);
      await serveReportFile(this.ended.dir, raw, res).catch(() => res.writeHead(500).end());
    } else res.writeHead(404).end();
  }

  private send(res: ServerResponse, event: string, data: unknown): void {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private broadcast(event: string, data: unknown): void {
    for (const c of this.clients) this.send(c, event, data);
  }

  /** Keeps the charts and sends those whose rows changed. */
  private update(charts: Record<string, ChartData>, final: boolean): void {
    const changed: Record<string, ChartData> = {};
    for (const [id, data] of Object.entries(charts)) {
      const json = JSON.stringify(data);
      if (this.sent[id] === json && !final) continue;
      this.sent[id] = json;
      changed[id] = data;
    }
    this.charts = { ...this.charts, ...changed };
    this.final = final;
    if (Object.keys(changed).length > 0 || final)
      this.broadcast("charts", { charts: changed, final } satisfies LiveCharts);
  }

  /** Follows one run (one repeat): its samples, phases and events. Returns how to stop following. */
  attach(run: RunFeed): () => void {
    const recording = new RunRecording();
    const startedAt = new Date(run.startedAtMs).toISOString();
    let phase: string | undefined;
    let phaseIndex = 0;
    let checkpointsSeen = 0;
    // A phase the scenario does not list (the steady-state window a run ends with) is added.
    const phases = [...(run.phases ?? [])];
    // Each repeat's charts start over.
    this.update(startingCharts(), false);
    const offSamples = run.store.subscribe((s) => recording.sample(s));
    const offEvents = run.events.subscribe((e) => {
      recording.event(e);
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
      const elapsed = Math.max(recording.latestT, (Date.now() - run.startedAtMs) / 1000);
      this.state = {
        scenario: run.labels.scenario ?? "",
        runId: run.id,
        elapsed: Math.round(elapsed),
        phase,
        phaseIndex,
        phases,
        status: run.status?.() ?? "",
      };
      this.broadcast("state", this.state);
      const checkpoints = run.checkpoints?.() ?? [];
      if (recording.changed || checkpoints.length !== checkpointsSeen) {
        checkpointsSeen = checkpoints.length;
        this.update(liveCharts(recording.soFar(elapsed, startedAt, checkpoints)), false);
      }
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

  /**
   * The command is done: every chart is drawn from the results (the report's very rows), and the
   * page shows the verdict and links the report, served from here from now on.
   */
  finish(end: LiveEnd, results?: Results): void {
    if (this.ended) return;
    this.update(results ? finalCharts(results) : withoutResults(this.charts), true);
    // Linked over HTTP only while this server stays to serve it; otherwise the page names the file.
    const served = end.report && end.dir && this.lingerSeconds > 0;
    this.ended = served ? { ...end, reportUrl: `${dashboardUrl(this.server)}report/` } : end;
    this.broadcast("end", this.ended);
  }

  /** The summary's line naming the served report, while there is one. */
  reportLine(): string {
    const url = this.reportUrl;
    if (!url) return "";
    return `  report: ${url} (served for ${this.lingerSeconds} s; Ctrl-C stops it)\n`;
  }

  /**
   * After the run: keeps the page and the report served for `lingerSeconds`, or until `stop`
   * aborts (Ctrl-C). Returns at once when there is no report to serve.
   */
  async linger(stop?: AbortSignal): Promise<void> {
    if (!this.reportUrl || stop?.aborted) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(finished, this.lingerSeconds * 1000);
      stop?.addEventListener("abort", finished, { once: true });
      function finished() {
        clearTimeout(timer);
        stop?.removeEventListener("abort", finished);
        done();
      }
    });
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

/** A builder that throws fails its chart only. */
function build(rows: () => ChartData): ChartData {
  try {
    return rows();
  } catch (err) {
    return { missing: `failed: ${describeError(err)}` };
  }
}

/** Before anything is recorded: the live charts wait, the others say when they come. */
function startingCharts(): Record<string, ChartData> {
  return Object.fromEntries(
    RUN_CHARTS.map((c) => [c.id, { missing: c.live ? "not yet: waiting for data" : AT_END }]),
  );
}

function liveCharts(run: RunSoFar): Record<string, ChartData> {
  const out: Record<string, ChartData> = {};
  for (const chart of RUN_CHARTS) {
    const live = chart.live;
    if (!live) continue;
    const data = build(() => live(run));
    out[chart.id] = "missing" in data ? { missing: `not yet: ${data.missing}` } : data;
  }
  return out;
}

/** Every chart as the report draws it. */
function finalCharts(results: Results): Record<string, ChartData> {
  const out: Record<string, ChartData> = {};
  for (const chart of RUN_CHARTS) {
    const data = build(() => chart.data(results));
    out[chart.id] = "missing" in data ? { missing: `not available — ${data.missing}` } : data;
  }
  return out;
}

/** A run that ended without results keeps what it drew; the rest will not come. */
function withoutResults(charts: Record<string, ChartData>): Record<string, ChartData> {
  return Object.fromEntries(
    Object.entries(charts).map(([id, data]) => [
      id,
      "rows" in data ? data : { missing: "not available — the run ended without results" },
    ]),
  );
}
