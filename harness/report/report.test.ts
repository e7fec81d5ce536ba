import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { requires } from "../../test/prerequisites/requires.ts";
import { main } from "../cli/main.ts";
import { HarnessError } from "../errors.ts";
import { type Report, renderReport } from "./index.ts";
import { renderPng, resolveFontFile } from "./render/png.ts";
import { decodePng, differingPixels, inkPixels, pngSize } from "./render/png-decode.ts";

const fixtures = new URL("../../fixtures/results/", import.meta.url).pathname;
let dir: string;
const reports: Record<string, Report> = {};

/** Rendering writes PNG charts, which need the DejaVu fonts. */
const fonts = requires("fonts");

before(async () => {
  if (fonts.skip) return;
  dir = await mkdtemp(join(tmpdir(), "report-"));
  for (const name of ["scale-1000", "failover-path", "sparse"]) {
    await cp(join(fixtures, name), join(dir, name), { recursive: true });
    reports[name] = await renderReport(join(dir, name));
  }
});
after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

/** Every chart, from the recorded fixture that has its data: marks and text it must contain. */
const EXPECTED: Record<string, { run: string; marks: string[]; text: RegExp[] }> = {
  convergence: {
    run: "scale-1000",
    marks: ["mark-line"],
    text: [/Objects Ready over time/, />Sites Ready</, />Paths reporting</, />Paths expected</],
  },
  "latency-percentiles": {
    run: "scale-1000",
    marks: ["mark-line"],
    text: [/Latency percentiles over time/, />p99</, />site_ready_latency</],
  },
  "latency-cdf": {
    run: "scale-1000",
    marks: ["mark-line"],
    text: [
      /Latency distribution \(CDF\) per metric/,
      />path_status_latency</,
      />apiserver sites POST</,
      /ms \(log\)/,
    ],
  },
  rate: {
    run: "scale-1000",
    marks: ["mark-line"],
    text: [/Target vs achieved rate/, />achieved</, />target</],
  },
  workqueue: {
    run: "scale-1000",
    marks: ["mark-area", "mark-line"],
    text: [/workqueue depth \(items\)/, /reconcile rate \(1\/s\)/],
  },
  "cost-curve": {
    run: "scale-1000",
    marks: ["mark-symbol", "mark-line"],
    text: [
      /Operator CPU \(cores\) — slope 0\.\d+ cores \/ 1000 objects \(R² \d\.\d\d\)/,
      /Operator RSS \(MiB\) — slope \d+\.\d MiB \/ 1000 objects \(R² \d\.\d\d\)/,
    ],
  },
  "failover-timeline": {
    run: "failover-path",
    marks: ["mark-rect", "mark-symbol", "mark-text"],
    text: [/Failover timeline/, />injection</, />recovery</, /inject-link-faults/],
  },
  "hot-functions": {
    run: "scale-1000",
    marks: ["mark-rect"],
    text: [/Top hot functions/, />reconcileSite</, />serialization</],
  },
};

test("every chart renders from a recorded results file with its marks and text", fonts, async () => {
  for (const [id, want] of Object.entries(EXPECTED)) {
    const chart = reports[want.run]!.charts.find((c) => c.id === id);
    assert.equal(chart?.status, "rendered", `${id}: ${JSON.stringify(chart)}`);
    const svg = await readFile(join(dir, want.run, "charts", `${id}.svg`), "utf8");
    assert.match(svg, /^<svg /);
    for (const mark of want.marks)
      assert.match(svg, new RegExp(`class="${mark} role-mark`), `${id} lacks ${mark}`);
    for (const text of want.text) assert.match(svg, text, `${id} lacks ${text}`);
  }
});

test("PNGs decode to the SVG's size ×2, are not blank, and their text really renders", fonts, async () => {
  for (const [id, want] of Object.entries(EXPECTED)) {
    const svg = await readFile(join(dir, want.run, "charts", `${id}.svg`), "utf8");
    const png = await readFile(join(dir, want.run, "charts", `${id}.png`));
    const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!;
    assert.deepEqual(pngSize(png), { width: Number(w) * 2, height: Number(h) * 2 }, id);
    const pixels = decodePng(png);
    assert.equal(pixels.width, Number(w) * 2);
    const ink = inkPixels(pixels);
    assert.ok(ink > pixels.width * pixels.height * 0.005, `${id}: only ${ink} non-background pixels`);
    // Same SVG without any font: everything but the text is identical, so the difference is the text.
    const noText = decodePng(renderPng(svg, { fontFiles: [] }));
    const textPixels = differingPixels(pixels, noText);
    assert.ok(textPixels > 2000, `${id}: text changed only ${textPixels} pixels — fonts not used?`);
    assert.ok(inkPixels(noText) < ink, `${id}: the fontless render is not lighter`);
  }
});

test(
  "index.html is self-contained: verdict first, thresholds, inline SVG charts, definition, event log",
  fonts,
  async () => {
    const html = await readFile(join(dir, "failover-path", "index.html"), "utf8");
    assert.match(html, /<header class="verdict fail"><h1>FAIL — failover-path on reference<\/h1>/);
    assert.ok(html.indexOf("verdict fail") < html.indexOf("<h2>Thresholds</h2>"));
    assert.match(html, /<code>path_failover_convergence<\/code><\/td><td><code>p\(99\)&lt;2000<\/code>/);
    assert.equal((html.match(/<figure class="chart" id="chart-/g) ?? []).length, 3);
    // The scenario as readable settings and a phases table, not one JSON line.
    assert.match(
      html,
      /<h2>Scenario<\/h2><dl class="settings">.*<dt>name<\/dt><dd><code>failover-path<\/code><\/dd><dt>mesh<\/dt><dd><dl class="settings"><dt>sites<\/dt>/,
    );
    assert.match(html, /<h3>Phases<\/h3><table class="phases">/);
    assert.doesNotMatch(html, /<pre>\{/);
    assert.match(html, /<span class="ev-injection">fault\.injected<\/span>/);
    assert.match(html, /Synthetic fixture/);
    // Offline: no scripts, stylesheets or images from anywhere (SVG namespace URIs are not requests).
    assert.doesNotMatch(html, /<script|<link |src="http|url\(http|@import/);
  },
);

test("summary.md and junit.xml carry the verdict and one testcase per threshold", fonts, async () => {
  const md = await readFile(join(dir, "failover-path", "summary.md"), "utf8");
  assert.match(md, /^## ❌ FAIL — patronus-bench `failover-path` on reference/);
  assert.match(md, /\| ❌ \| `path_failover_convergence` \| `p\(99\)<2000` \| 2140 ms \|/);
  assert.match(md, /\[Failover timeline\]\(charts\/failover-timeline\.svg\)/);
  const junit = await readFile(join(dir, "failover-path", "junit.xml"), "utf8");
  assert.equal((junit.match(/<testcase /g) ?? []).length, 2);
  assert.equal((junit.match(/<failure /g) ?? []).length, 1);
  assert.match(junit, /tests="2" failures="1"/);
  const scaleMd = await readFile(join(dir, "scale-1000", "summary.md"), "utf8");
  assert.match(
    scaleMd,
    /Operator RSS: \d+\.\d MiB per 1000 objects \(least squares, 4 checkpoints, R² \d\.\d\d\)/,
  );
  assert.match(
    scaleMd,
    /^## ✅ PASS .*\n\n.*\n\n\*\*1000 Sites Ready, operator peak \d+\.\d MiB, nothing lost\.\*\*/,
  );
});

test("missing metrics are marked in every output, never a crash", fonts, async () => {
  const report = reports.sparse!;
  const missing = report.charts.filter((c) => c.status === "missing").map((c) => c.id);
  assert.deepEqual(missing.sort(), [
    "convergence",
    "cost-curve",
    "failover-timeline",
    "hot-functions",
    "latency-percentiles",
    "rate",
    "workqueue",
  ]);
  const html = await readFile(join(dir, "sparse", "index.html"), "utf8");
  assert.match(html, /Thresholds on metrics this run never recorded: <code>update_observed_latency<\/code>/);
  assert.match(html, /<td><span class="missing">not recorded<\/span><\/td>/);
  assert.match(
    html,
    /Target vs achieved rate<\/strong>: not available — neither target_rate nor achieved_rate was recorded/,
  );
  const md = await readFile(join(dir, "sparse", "summary.md"), "utf8");
  assert.match(md, /\*\*Missing metrics behind thresholds:\*\* `update_observed_latency`/);
  assert.match(await readFile(join(dir, "sparse", "junit.xml"), "utf8"), /metric not recorded/);
});

test("a broken user chart override fails that chart only, with the reason", fonts, async () => {
  const charts = join(dir, "overrides");
  await cp(join(fixtures, "churn"), join(dir, "churn"), { recursive: true });
  await rm(charts, { recursive: true, force: true });
  await cp(new URL("./charts/", import.meta.url).pathname, charts, { recursive: true });
  await writeFile(join(charts, "rate.vl.json"), '{"mark": "nonsense-mark", "encoding": {}}');
  await writeFile(join(charts, "latency-cdf.vl.json"), "{ not json");
  const report = await renderReport(join(dir, "churn"), { chartsDir: charts, png: false });
  const byId = Object.fromEntries(report.charts.map((c) => [c.id, c]));
  assert.equal(byId.rate?.status, "failed");
  assert.match(JSON.stringify(byId.rate), /does not compile/);
  assert.match(JSON.stringify(byId["latency-cdf"]), /is not valid JSON/);
  assert.equal(byId["latency-percentiles"]?.status, "rendered");
});

test("bad input: older/newer schemaVersion and truncated JSON give one clear line and exit 1", async () => {
  for (const [file, expected] of [
    ["schema-v0.json", /schemaVersion 0, older than the schemaVersion 1/],
    ["schema-v3.json", /schemaVersion 3, newer than the schemaVersion 2/],
    ["truncated.json", /not valid JSON \(it looks truncated\)/],
    ["missing-field.json", /metrics\.path_failover_convergence\.p99/],
  ] as const) {
    await assert.rejects(
      renderReport(join(fixtures, "bad", file)),
      (err: unknown) => err instanceof HarnessError && expected.test(err.message),
    );
    const lines: string[] = [];
    const error = console.error;
    console.error = (...a: unknown[]) => void lines.push(a.join(" "));
    try {
      assert.equal(await main(["report", join(fixtures, "bad", file)]), 1);
    } finally {
      console.error = error;
    }
    assert.equal(lines.length, 1, `expected one line, got ${lines.join("\n")}`);
    assert.match(lines[0]!, expected);
    assert.doesNotMatch(lines[0]!, /\n\s+at /);
  }
});

test("a missing font is a clear error naming the Debian package", () => {
  assert.throws(
    () => resolveFontFile("/nonexistent/DejaVuSans.ttf"),
    (err: unknown) =>
      err instanceof HarnessError &&
      /DejaVuSans\.ttf is missing/.test(err.message) &&
      /fonts-dejavu-core/.test(err.fix ?? ""),
  );
});

test(
  "a merged --repeat run lists its repeats and the spread across them; an unreadable repeat is marked, not fatal",
  fonts,
  async () => {
    const runDir = join(dir, "repeats");
    await cp(join(fixtures, "churn-aa-base"), runDir, { recursive: true });
    await cp(join(fixtures, "bad", "truncated.json"), join(runDir, "repeat-2", "results.json"));
    await renderReport(runDir, { png: false });
    const md = await readFile(join(runDir, "summary.md"), "utf8");
    assert.match(md, /### Repeats \(5, merged above\)/);
    assert.match(md, /\| repeat-1 \| ✅ \| — \|/);
    assert.match(md, /\| repeat-2 \| unreadable \| .*looks truncated/);
    // The spread is over the 4 readable repeats, highest CV first.
    assert.match(md, /### Spread across 4 repeats/);
    assert.match(md, /\| `update_observed_latency` \| p\(99\) \| gate \| 4 \|/);
    assert.ok(md.indexOf("`update_observed_latency` | p(99)") < md.indexOf("`lost_updates` | count"));
    const html = await readFile(join(runDir, "index.html"), "utf8");
    assert.match(html, /<h2>Repeats \(5\)<\/h2>/);
    assert.match(html, /<h2>Spread across 4 repeats<\/h2>.*<table class="spread">/s);
  },
);

test(
  "the report leads with the answer: the headline, then objects Ready over time, before any table",
  fonts,
  async () => {
    const html = await readFile(join(dir, "scale-1000", "index.html"), "utf8");
    const headline = html.indexOf('<p class="headline">1000 Sites Ready, operator peak');
    const picture = html.indexOf('data-chart="convergence"');
    const firstTable = html.indexOf("<table");
    assert.ok(
      headline > 0 && headline < picture && picture < firstTable,
      `${headline} ${picture} ${firstTable}`,
    );
    assert.ok(html.indexOf("</header>") < headline);
  },
);
