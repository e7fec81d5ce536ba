/**
 * The HTML report in a real headless Chromium (Debian's /usr/bin/chromium via playwright-core,
 * no browser download): no console errors, no network requests, every chart visible. The
 * screenshot is kept under test-artifacts/report/.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { renderReport } from "../../../harness/report/index.ts";
import { loadResults } from "../../../harness/results/load.ts";
import { syntheticFullRun } from "../../../harness/results/synthetic/fixtures.ts";
import { writeResults } from "../../../harness/results/write.ts";
import { requires } from "../../prerequisites/requires.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = new URL("../../../test-artifacts/report/", import.meta.url).pathname;
const fixtures = new URL("../../../fixtures/results/", import.meta.url).pathname;

test("the HTML report renders in headless Chromium with every chart visible and no errors", {
  timeout: 120_000,
  ...requires("chromium", "fonts"),
}, async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing — install Debian's chromium (apt-get install -y chromium)`,
  );
  const dir = await mkdtemp(join(tmpdir(), "html-report-"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    await mkdir(ARTIFACTS, { recursive: true });
    const cases = [
      { name: "full", results: syntheticFullRun() },
      { name: "sparse", results: await loadResults(join(fixtures, "sparse")) },
    ];
    for (const { name, results } of cases) {
      const runDir = join(dir, name);
      await writeResults(runDir, results);
      const report = await renderReport(runDir, { png: false });
      const rendered = report.charts.filter((c) => c.status === "rendered").map((c) => c.id);
      const unavailable = report.charts.filter((c) => c.status !== "rendered").map((c) => c.id);

      // A laptop's screen: nothing may need a horizontal scroll.
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("request", (r) => requests.push(r.url()));
      const url = pathToFileURL(join(runDir, "index.html")).href;
      await page.goto(url, { waitUntil: "load" });

      assert.deepEqual(problems, [], `${name}: console errors`);
      // Runs in the page; the test's own tsconfig has no DOM types.
      const width = await page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
            .documentElement.scrollWidth,
      );
      assert.ok(width <= 1366, `${name}: the page is ${width} px wide at a 1366 px window`);
      assert.deepEqual(
        requests.filter((r) => r !== url),
        [],
        `${name}: the report made requests`,
      );
      assert.match(
        ((await page.locator("header.verdict h1").textContent()) ?? "").trim(),
        new RegExp(`^(PASS|FAIL|INCONCLUSIVE) — ${results.run.scenario} on `),
      );
      for (const id of rendered) {
        const svg = page.locator(`figure.chart[data-chart="${id}"] svg`);
        assert.ok(await svg.isVisible(), `${name}/${id}: chart not visible`);
        const box = await svg.boundingBox();
        assert.ok(
          box && box.width > 200 && box.height > 80,
          `${name}/${id}: chart box ${JSON.stringify(box)}`,
        );
        assert.ok((await svg.locator(".role-mark").count()) > 0, `${name}/${id}: no marks drawn`);
      }
      for (const id of unavailable) {
        assert.match(
          (await page.locator(`figure.unavailable[data-chart="${id}"]`).textContent()) ?? "",
          /not available|failed to render/,
        );
      }
      if (name === "full")
        assert.equal(rendered.length, 8, `full run renders every chart, got ${rendered.join(", ")}`);
      await page.screenshot({ path: join(ARTIFACTS, `${name}-index.png`), fullPage: true });
      await page.close();
    }
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
});
