/**
 * docs/bad-inputs.md's table, rendered from the cases bad-inputs.test.ts asserts. Run this file
 * with --write to rewrite the table; the test fails while the page differs from it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../../../harness/paths.ts";
import { type Area, BAD_INPUTS, type BadInput } from "./cases.ts";

export const PAGE = join(REPO_ROOT, "docs", "bad-inputs.md");
const START =
  "<!-- generated:bad-inputs — do not edit; node test/integration/cli/bad-inputs/doc.ts --write -->";
const END = "<!-- /generated:bad-inputs -->";

/** A code span that survives backticks and pipes inside it. */
function code(text: string): string {
  const escaped = text.replaceAll("|", "\\|");
  return escaped.includes("`") ? `\`\` ${escaped} \`\`` : `\`${escaped}\``;
}

function input(c: BadInput): string {
  if (c.kind === "api") {
    const body = !c.body
      ? ""
      : "raw" in c.body
        ? ` ${c.body.raw.length > 40 ? `${c.body.raw.slice(0, 37)}…` : c.body.raw}`
        : "json" in c.body
          ? ` ${JSON.stringify(c.body.json)}`
          : ` a valid site with ${JSON.stringify(c.body.site)}`;
    return code(`${c.method} ${c.path}${c.token === "none" ? " (no token)" : ""}${body}`);
  }
  const files = Object.entries(c.files ?? {})
    .filter(([name]) => c.argv.some((a) => a.includes(name.split("/")[0] ?? name)))
    .map(([name, text]) => ` with ${name}: ${code(text.trim() || "(empty)")}`)
    .join("");
  return `${code(`patronus-bench ${c.argv.map((a) => (/[\s"'{}[\]()=<>|]/.test(a) && !a.startsWith("<") ? `'${a}'` : a)).join(" ")}`)}${files}`;
}

export function renderTable(): string {
  const areas = [...new Set(BAD_INPUTS.map((c) => c.area))] as Area[];
  return areas
    .map((area) => {
      const rows = BAD_INPUTS.filter((c) => c.area === area).map(
        (c) => `| ${c.what} | ${input(c)} | ${c.kind === "api" ? c.status : c.exit} | ${code(c.first)} |`,
      );
      const exit = area === "Mesh simulator API" ? "HTTP" : "Exit";
      return [
        `### ${area}`,
        "",
        `| Input | Given as | ${exit} | First line |`,
        "|---|---|---|---|",
        ...rows,
      ].join("\n");
    })
    .join("\n\n");
}

export function renderPage(page: string): string {
  const i = page.indexOf(START);
  const j = page.indexOf(END);
  if (i === -1 || j < i) throw new Error(`${PAGE} has no ${START} … ${END} section`);
  return `${page.slice(0, i + START.length)}\n\n${renderTable()}\n\n${page.slice(j)}`;
}

if (import.meta.main && process.argv.includes("--write")) {
  writeFileSync(PAGE, renderPage(readFileSync(PAGE, "utf8")));
  console.log(`wrote ${PAGE}`);
}
