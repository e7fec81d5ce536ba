/**
 * The flame graph artifact in a real headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core): it draws the recorded operator profile offline with no script errors, shows
 * the operator's frames, and zooms into a frame on click.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { readCpuProfile } from "../../../harness/profile/cpu/cpuprofile.ts";
import { flameGraphHtml } from "../../../harness/profile/flame/flamegraph.ts";
import { requires } from "../../prerequisites/requires.ts";
import { REPO } from "./processes.ts";

const CHROMIUM = "/usr/bin/chromium";
const FIXTURE = join(REPO, "harness", "profile", "cpu", "fixtures", "operator-30-sites.cpuprofile");

test("the flame graph renders offline in Chromium and zooms on click", {
  timeout: 120_000,
  ...requires("chromium"),
}, async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing — install Debian's chromium (apt-get install -y chromium)`,
  );
  const dir = await mkdtemp(join(tmpdir(), "flame-html-"));
  const file = join(dir, "flame.html");
  await writeFile(file, flameGraphHtml(await readCpuProfile(FIXTURE), "operator flame graph"));
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
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    const frames = await page.locator("#flame rect").count();
    assert.ok(frames > 50, `${frames} frames drawn`);
    const titles = await page.locator("#flame title").allTextContents();
    assert.ok(
      titles.some((t) => /^reconcile operator\/controllers\//.test(t)),
      "no reconcile frame drawn",
    );
    const target = page
      .locator("#flame g", { has: page.locator("title", { hasText: /^reconcile operator\/controllers\// }) })
      .first();
    const before = Number(await target.locator("rect").getAttribute("width"));
    await target.locator("rect").click({ force: true });
    const zoomed = page.locator("#flame g").first();
    assert.match((await zoomed.locator("title").textContent()) ?? "", /^reconcile operator\/controllers\//);
    const after = Number(await zoomed.locator("rect").getAttribute("width"));
    assert.ok(after > before && after > 1000, `zoomed width ${after} (was ${before})`);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      requests.filter((u) => !u.startsWith("file:")),
      [],
    );
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
});
