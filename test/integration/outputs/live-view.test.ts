/**
 * `run --dashboard`: the live view in headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core) during a smoke run shows the phase, and its Objects Ready chart changes between
 * two screenshots; at the end it has every chart of the report (drawn wherever the report drew
 * one), shows the verdict and links the report, served over HTTP from the run directory and
 * nothing outside it, until Ctrl-C. A busy port or a value that is not a port is a one-line error
 * before anything starts. Chromium and the run are stopped at the end, also when an assertion fails.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { chromium } from "playwright-core";
import { requires } from "../../prerequisites/requires.ts";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const CLI = join(ROOT, "harness", "cli", "main.ts");
const CHROMIUM = "/usr/bin/chromium";
/** The screenshots, for a person to look at (not compared against anything kept). */
const ARTIFACTS = join(ROOT, "test-artifacts", "live-view");
const SMOKE_PHASES = [
  "create-sites",
  "sites-ready",
  "paths-ready",
  "mixed-load",
  "policies",
  "settled",
  "policies-applied",
  "steady-state",
];

/** A GET with the path sent as written (fetch would resolve `..` first). */
async function rawStatus(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((ok, fail) => {
    request({ host: hostname, port, path }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    })
      .on("error", fail)
      .end();
  });
}

describe("run --dashboard", { concurrency: false }, () => {
  it("a busy port or a value that is not a port: exit 1, one line, nothing started", {
    timeout: 60_000,
  }, async () => {
    const holder = createServer();
    await new Promise<void>((ok) => holder.listen(0, "127.0.0.1", ok));
    const port = (holder.address() as { port: number }).port;
    try {
      for (const [value, says] of [
        [String(port), `error: --dashboard ${port}: cannot listen on 127.0.0.1:${port} (the port is in use)`],
        ["http", "error: --dashboard http: not a port number"],
        ["70000", "error: --dashboard 70000: not a port number"],
      ] as const) {
        const out = join(mkdtempSync(join(tmpdir(), "dashboard-bad-")), "run");
        const res = await execa(process.execPath, [CLI, "run", "smoke", "--out", out, "--dashboard", value], {
          cwd: ROOT,
          reject: false,
          timeout: 50_000,
        });
        assert.equal(res.exitCode, 1, res.stderr);
        const lines = res.stderr.trim().split("\n");
        assert.equal(lines.length, 1, res.stderr);
        assert.ok(lines[0]!.startsWith(says), lines[0]);
        assert.match(lines[0]!, / — fix: give --dashboard a free TCP port/);
        assert.equal(existsSync(out), false, "no output directory: nothing started");
      }
    } finally {
      holder.close();
    }
  });

  it("in headless Chromium during smoke: the phase, a chart that changes, then every chart of the report, the verdict and the report served", {
    ...requires("chromium"),
    timeout: 600_000,
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), "run-dashboard-"));
    const run = execa(
      process.execPath,
      [
        CLI,
        "run",
        "smoke",
        "--out",
        out,
        "--dashboard",
        "0",
        "--dashboard-linger",
        "600",
        "--set",
        "cluster.knobs.startTimeoutSeconds=240",
      ],
      { cwd: ROOT, reject: false, timeout: 540_000, env: { CI: "1" }, buffer: true },
    );
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
      ],
    });
    try {
      let stdout = "";
      run.stdout!.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const url = await new Promise<string>((ok, fail) => {
        let seen = "";
        run.stderr!.on("data", (chunk: Buffer) => {
          seen += chunk.toString();
          const m = /live view: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(seen);
          if (m) ok(m[1]!);
        });
        void run.then((r) =>
          fail(new Error(`the run ended before its live view was announced: ${r.stderr}`)),
        );
      });
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      await page.goto(url);
      // Predicates run in the page: given as source text (this file is not compiled against the DOM).
      await page.waitForFunction(
        'document.getElementById("phase").textContent.startsWith("phase ")',
        undefined,
        {
          timeout: 300_000,
        },
      );
      const phase = (await page.textContent("#phase"))!;
      assert.ok(
        SMOKE_PHASES.some((p) => phase === `phase ${p}`),
        `the page names a phase of smoke: ${phase}`,
      );
      const chart = page.locator("#chart-convergence");
      const rows = async () => Number(await chart.getAttribute("data-rows"));
      await page.waitForFunction(
        'Number(document.getElementById("chart-convergence").dataset.rows) > 0',
        undefined,
        {
          timeout: 120_000,
        },
      );
      const firstRows = await rows();
      const first = await chart.screenshot();
      await page.waitForFunction(
        `Number(document.getElementById("chart-convergence").dataset.rows) > ${firstRows}`,
        undefined,
        { timeout: 60_000 },
      );
      // The chart is drawn after its rows arrive: give the view a frame to finish.
      await page.waitForTimeout(500);
      const second = await chart.screenshot();
      assert.ok((await rows()) > firstRows, "more rows in the chart");
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, "chart-1.png"), first);
      writeFileSync(join(ARTIFACTS, "chart-2.png"), second);
      writeFileSync(join(ARTIFACTS, "page.png"), await page.screenshot({ fullPage: true }));
      assert.notDeepEqual(first, second, "the two screenshots of the chart differ");
      assert.ok(await chart.locator("svg").count(), "the chart is drawn as SVG");
      assert.ok((await page.locator("#events tr").count()) > 0, "the event log lists events");

      // The run ends; the command keeps serving the page and the report until Ctrl-C.
      await page.waitForSelector("#end", { state: "visible", timeout: 300_000 });
      assert.match((await page.textContent("#verdict"))!, /^(pass|fail|inconclusive)$/);
      const reportUrl = `${url}report/`;
      assert.equal(await page.getAttribute("#report", "href"), reportUrl);
      assert.equal(await page.textContent("#report"), reportUrl);
      const served = await fetch(reportUrl);
      assert.equal(served.status, 200);
      assert.match(served.headers.get("content-type") ?? "", /^text\/html/);
      const reportHtml = await served.text();
      assert.equal(reportHtml, readFileSync(join(out, "index.html"), "utf8"), "the run's index.html");
      for (const outside of [
        "/report/..%2f..%2f..%2fetc%2fpasswd",
        "/report/../../../etc/passwd",
        "/report/%2Fetc%2Fpasswd",
      ])
        assert.ok([403, 404].includes(await rawStatus(url, outside)), `${outside} is refused`);

      // Every chart of the report is on the page, drawn wherever the report drew it.
      const reportCharts = [
        ...reportHtml.matchAll(/<figure class="chart( unavailable)?"[^>]* data-chart="([\w-]+)"/g),
      ];
      assert.ok(reportCharts.length > 0, "the report has charts");
      const liveCharts = (await page.evaluate(
        '[...document.querySelectorAll("figure[data-chart]")].map((f) => f.dataset.chart)',
      )) as string[];
      for (const [, , id] of reportCharts)
        assert.ok(liveCharts.includes(id!), `the report's ${id} chart is on the live page`);
      const drawn = reportCharts.filter(([, unavailable]) => !unavailable).map(([, , id]) => id!);
      assert.ok(drawn.includes("convergence"));
      await page.waitForFunction(
        `${JSON.stringify(drawn)}.every((id) => document.querySelector("#chart-" + id + " .vis svg"))`,
        undefined,
        { timeout: 30_000 },
      );
      writeFileSync(join(ARTIFACTS, "page-end.png"), await page.screenshot({ fullPage: true }));
      assert.deepEqual(errors, [], "no script errors on the page");
      // The summary names the served report (it is printed just after the page is told).
      const line = `  report: ${reportUrl} (served for 600 s; Ctrl-C stops it)`;
      for (let i = 0; i < 60 && !stdout.includes(line); i++) await new Promise((ok) => setTimeout(ok, 500));
      assert.ok(stdout.includes(line), stdout);

      run.kill("SIGINT");
      const res = await run;
      assert.ok([0, 98, 99].includes(res.exitCode ?? -1), `exit ${res.exitCode}\n${res.stderr.slice(-2000)}`);
      await assert.rejects(fetch(reportUrl), "the server is gone with the command");
    } finally {
      await browser.close();
      run.kill("SIGINT");
      await run;
    }
  });
});
