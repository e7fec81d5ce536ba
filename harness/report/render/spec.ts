/**
 * Loading chart specs: the built-in ones next to this module, or a user's restyled copy from a
 * charts directory. Data is injected at render time into the dataset named `rows`.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HarnessError } from "../../errors.ts";
import type { ChartRow } from "../chart-data/types.ts";

export const BUILTIN_CHARTS_DIR = fileURLToPath(new URL("../charts/", import.meta.url));

export type VegaLiteSpec = Record<string, unknown>;

/** The user's override (chartsDir/<id>.vl.json) when present, else the built-in spec. */
export async function loadSpec(
  id: string,
  chartsDir?: string,
): Promise<{ spec: VegaLiteSpec; path: string }> {
  const candidates = chartsDir ? [join(chartsDir, `${id}.vl.json`)] : [];
  candidates.push(join(BUILTIN_CHARTS_DIR, `${id}.vl.json`));
  for (const path of candidates) {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      continue;
    }
    try {
      const spec = JSON.parse(text) as unknown;
      if (typeof spec !== "object" || spec === null || Array.isArray(spec))
        throw new Error("not a JSON object");
      return { spec: spec as VegaLiteSpec, path };
    } catch (err) {
      throw new HarnessError(`chart spec ${path} is not valid JSON: ${(err as Error).message}`, {
        fix: "fix the file or delete it to fall back to the built-in spec",
      });
    }
  }
  throw new HarnessError(`no chart spec for "${id}" (looked in ${candidates.join(", ")})`);
}

/** A copy of the spec whose `rows` dataset carries the values (top level: vega-lite inherits it). */
export function injectRows(spec: VegaLiteSpec, rows: readonly ChartRow[]): VegaLiteSpec {
  return { ...spec, data: { values: rows } };
}
