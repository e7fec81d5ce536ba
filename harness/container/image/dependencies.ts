/**
 * The npm packages the image needs: those reachable by import from its two entry points
 * (operator/main.ts, harness/mesh/main.ts), static or dynamic. Computed, not listed, so a new
 * import cannot be forgotten in the image; vega, resvg and the other report-only packages stay out.
 *   node harness/container/image/dependencies.ts   → one package name per line
 * The files reached on the way are what the image's source digest covers (./source-digest.ts).
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { REPO_ROOT } from "../../paths.ts";

export const IMAGE_ENTRY_POINTS = ["operator/main.ts", "harness/mesh/main.ts"] as const;

const IMPORT = /(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

export interface ImageSources {
  /** Repository files the entry points load (absolute paths), sorted. */
  files: string[];
  /** npm packages they import, sorted. */
  packages: string[];
}

export function imageSources(entries: readonly string[] = IMAGE_ENTRY_POINTS): ImageSources {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec || spec.startsWith("node:")) continue;
      if (spec.startsWith(".")) walk(resolve(dirname(file), spec));
      else packages.add(packageName(spec));
    }
  };
  for (const e of entries) walk(join(REPO_ROOT, e));
  return { files: [...seen].sort(), packages: [...packages].sort() };
}

export function imageDependencies(entries: readonly string[] = IMAGE_ENTRY_POINTS): string[] {
  return imageSources(entries).packages;
}

if (import.meta.main) process.stdout.write(`${imageDependencies().join("\n")}\n`);
