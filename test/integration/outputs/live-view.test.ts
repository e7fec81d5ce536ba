/**
 * `run --dashboard`: the live view in headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core) during a smoke run shows the phase, and its Objects Ready chart changes between
 * two screenshots; at the end it shows the verdict and links the report. A busy port or a value
 * that is not a port is a one-line error before anything starts. Chromium and the run are stopped
 * at the end, also when an assertion fails.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
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

  it("in headless Chromium during smoke: the phase, a chart that changes, then the verdict and the report", {
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

      const res = await run;
      assert.ok([0, 98, 99].includes(res.exitCode ?? -1), `exit ${res.exitCode}\n${res.stderr.slice(-2000)}`);
      await page.waitForSelector("#end", { state: "visible", timeout: 10_000 });
      assert.match((await page.textContent("#verdict"))!, /^(pass|fail|inconclusive)$/);
      assert.equal(await page.textContent("#report"), join(out, "index.html"));
      assert.deepEqual(errors, [], "no script errors on the page");
    } finally {
      await browser.close();
      run.kill("SIGINT");
      await run;
    }
  });
});
