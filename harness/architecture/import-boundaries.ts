/**
 * The import boundaries between the repository's programs. The harness measures the operator
 * under test from the outside, so nothing under harness/ or scenarios/ may import operator/; the
 * reference operator is a program of its own and imports neither; contract/ is what both sides
 * speak and imports none of them. A crossing is reported as file:line and the import itself.
 *
 * Imports are found by their formatted shape (biome puts every static import and export at the
 * start of a line), so a multi-line import, `import type`, `export … from` and `import("…")` are
 * all seen, and a mention in a comment is not.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

export interface Boundary {
  /** Top-level folders whose files the rule applies to. */
  from: readonly string[];
  /** Top-level folders they may not import from. */
  forbidden: readonly string[];
}

export const BOUNDARIES: readonly Boundary[] = [
  { from: ["harness", "scenarios"], forbidden: ["operator"] },
  { from: ["operator"], forbidden: ["harness", "scenarios"] },
  { from: ["contract"], forbidden: ["harness", "scenarios", "operator"] },
];

export interface ImportSite {
  line: number;
  specifier: string;
  /** The statement as written (first line of a multi-line one). */
  text: string;
}

export interface Crossing extends ImportSite {
  /** Repository-relative path of the importing file. */
  file: string;
  /** The top-level folder the import reaches into. */
  into: string;
}

const STATIC = /^(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Whether `index` is inside a line comment or a `/* … *\/` block that starts its line. */
function inComment(text: string, index: number): boolean {
  const start = text.lastIndexOf("\n", index - 1) + 1;
  const before = text.slice(start, index);
  const trimmed = before.trimStart();
  if (trimmed.startsWith("//") || trimmed.startsWith("*") || trimmed.startsWith("/*")) return true;
  return before.includes("//") && !/["'`]/.test(before.slice(before.indexOf("//")));
}

/** Every import specifier of a TypeScript or JavaScript source, with the line it starts on. */
export function importsOf(source: string): ImportSite[] {
  const sites: ImportSite[] = [];
  for (const pattern of [STATIC, DYNAMIC]) {
    for (const m of source.matchAll(pattern)) {
      const specifier = m[1] ?? m[2];
      if (!specifier || inComment(source, m.index)) continue;
      const line = lineAt(source, m.index);
      sites.push({ line, specifier, text: (source.split("\n")[line - 1] ?? "").trim() });
    }
  }
  return sites.sort((a, b) => a.line - b.line);
}

/** The crossings of one file, `file` relative to `root`. */
export function crossingsOf(
  root: string,
  file: string,
  source: string,
  boundaries: readonly Boundary[] = BOUNDARIES,
): Crossing[] {
  const top = file.split(/[\\/]/)[0] ?? "";
  const rules = boundaries.filter((b) => b.from.includes(top));
  if (rules.length === 0) return [];
  const out: Crossing[] = [];
  for (const site of importsOf(source)) {
    if (!site.specifier.startsWith(".") && !site.specifier.startsWith("/")) continue;
    const target = relative(root, resolve(root, dirname(file), site.specifier));
    const into = target.split(sep)[0] ?? "";
    if (rules.some((r) => r.forbidden.includes(into))) out.push({ ...site, file, into });
  }
  return out;
}

function sourceFiles(root: string, folder: string): string[] {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(join(root, folder), { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && /\.(?:ts|js|mjs|cjs|mts|cts)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((f) => !f.split(sep).includes("node_modules"))
    .sort();
}

/** Every crossing in the repository at `root`. */
export function findCrossings(root: string, boundaries: readonly Boundary[] = BOUNDARIES): Crossing[] {
  const folders = [...new Set(boundaries.flatMap((b) => b.from))];
  return folders.flatMap((folder) =>
    sourceFiles(root, folder).flatMap((file) =>
      crossingsOf(root, file, readFileSync(join(root, file), "utf8"), boundaries),
    ),
  );
}

export function describeCrossing(c: Crossing): string {
  return `${c.file}:${c.line} imports ${c.into}/ (${c.specifier}): ${c.text}`;
}
