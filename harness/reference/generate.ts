/**
 * npm run docs:generate: rewrites the generated sections of docs/ (the scenario reference from the
 * scenario schema, the metrics catalog from harness/results/metric-catalog.ts). `--check` writes
 * nothing and exits 1 naming each page that is out of date.
 */
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../results/write.ts";
import { replaceSection } from "./generated-section.ts";
import { GENERATED } from "./pages.ts";

/** Each page's current text and the text it should have. */
export async function expectedPages(): Promise<Array<{ page: string; current: string; expected: string }>> {
  const out = new Map<string, { current: string; expected: string }>();
  for (const g of GENERATED) {
    const entry = out.get(g.page) ?? { current: readFileSync(g.page, "utf8"), expected: "" };
    entry.expected = replaceSection(entry.expected || entry.current, g.name, await g.render());
    out.set(g.page, entry);
  }
  return [...out].map(([page, e]) => ({ page, ...e }));
}

if (import.meta.main) {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  for (const p of await expectedPages()) {
    if (p.current === p.expected) continue;
    stale.push(p.page);
    if (!check) await writeFileAtomic(p.page, p.expected);
  }
  if (check && stale.length > 0) {
    console.error(`out of date: ${stale.join(", ")} — run npm run docs:generate`);
    process.exit(1);
  }
  console.log(check ? "docs: generated sections current" : `docs: ${stale.length} page(s) rewritten`);
}
