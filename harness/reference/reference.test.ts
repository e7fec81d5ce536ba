import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { FIXTURES_DIR, REPO_ROOT } from "../paths.ts";
import { baseMetricName, METRIC_CATALOG } from "../results/metric-catalog.ts";
import { expectedPages } from "./generate.ts";
import { replaceSection } from "./generated-section.ts";
import { FIELD_TEXT, SECTION_TEXT } from "./scenario-fields.ts";
import { documentedFields } from "./scenario-reference.ts";

describe("docs generated from the schema and the metric catalog", () => {
  it("are current: a schema or catalog change without `npm run docs:generate` fails here", async () => {
    for (const p of await expectedPages()) {
      assert.equal(
        p.current,
        p.expected,
        `${relative(REPO_ROOT, p.page)} is out of date: run npm run docs:generate`,
      );
    }
  });

  it("replace only the marked section and refuse a page without its markers", () => {
    const page =
      "intro\n<!-- generated:x — do not edit; npm run docs:generate -->\nold\n<!-- /generated:x -->\nend\n";
    const out = replaceSection(page, "x", "new");
    assert.match(out, /^intro\n/);
    assert.match(out, /\nnew\n/);
    assert.doesNotMatch(out, /old/);
    assert.match(out, /end\n$/);
    assert.throws(() => replaceSection("no markers", "x", "new"), /no <!-- generated:x/);
  });
});

describe("the scenario reference", () => {
  it("says what every field means and shows an example of every value field", async () => {
    const undocumented: string[] = [];
    for (const f of await documentedFields()) {
      const isSectionLink = f.type.startsWith("[") || f.type.startsWith("list of [");
      if (!f.text) undocumented.push(`${f.section}.${f.path}: no text`);
      else if (!f.example && !isSectionLink) undocumented.push(`${f.section}.${f.path}: no example`);
    }
    assert.deepEqual(undocumented, [], "add them to harness/reference/scenario-fields.ts");
  });

  it("has no text for a field or section that no longer exists", async () => {
    const fields = await documentedFields();
    const sections = new Set(fields.map((f) => f.section));
    const stale = Object.keys(FIELD_TEXT).filter((key) => {
      const [section, ...rest] = key.split(".");
      const path = rest.join(".");
      if (section === "*")
        return !fields.some(
          (f) => f.path === path || f.path.endsWith(`.${path}`) || f.path.split(".").pop() === path,
        );
      return !fields.some((f) => f.section === section && f.path === path);
    });
    assert.deepEqual(stale, []);
    assert.deepEqual(
      Object.keys(SECTION_TEXT).filter((s) => !sections.has(s)),
      [],
    );
    assert.deepEqual(
      [...sections].filter((s) => !SECTION_TEXT[s]),
      [],
      "every section has an introduction",
    );
  });
});

function resultsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return resultsFiles(path);
    return name === "results.json" ? [path] : [];
  });
}

describe("the metric catalog", () => {
  it("names every metric the recorded runs hold, with a unit and a description", () => {
    const files = [
      ...resultsFiles(join(FIXTURES_DIR, "measured")),
      ...resultsFiles(join(FIXTURES_DIR, "results")),
    ];
    assert.ok(files.length > 5, "recorded runs found");
    const missing = new Set<string>();
    for (const file of files) {
      let parsed: { metrics?: Record<string, unknown> };
      try {
        parsed = JSON.parse(readFileSync(file, "utf8"));
      } catch {
        continue; // fixtures/results/bad holds deliberately broken files
      }
      for (const key of Object.keys(parsed.metrics ?? {}))
        if (!METRIC_CATALOG[baseMetricName(key)])
          missing.add(`${baseMetricName(key)} (${relative(REPO_ROOT, file)})`);
    }
    assert.deepEqual([...missing], []);
    for (const [name, m] of Object.entries(METRIC_CATALOG)) {
      assert.ok(m.unit.length > 0, `${name}: unit`);
      assert.ok(m.description.length > 10, `${name}: description`);
    }
  });
});
