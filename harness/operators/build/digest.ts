/**
 * The cache key of a build: sha256 over its input files' relative paths and contents, in sorted
 * order, so the same sources give the same digest wherever they are checked out.
 */
import { createHash } from "node:crypto";
import { globSync, readFileSync, statSync } from "node:fs";
import { join, sep } from "node:path";

/** The files (relative, `/`-separated, sorted) the patterns match under `dir`; directories left out. */
export function inputFiles(dir: string, patterns: readonly string[]): string[] {
  const files = new Set<string>();
  for (const match of globSync([...patterns], { cwd: dir })) {
    if (statSync(join(dir, match)).isFile()) files.add(match.split(sep).join("/"));
  }
  return [...files].sort();
}

export function inputDigest(dir: string, files: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of files) {
    const content = readFileSync(join(dir, file));
    // Length-prefixed, so no two different file sets hash the same byte stream.
    hash.update(`${file.length}:${file}\n${content.length}:`);
    hash.update(content);
  }
  return hash.digest("hex");
}
