/** vega-lite → vega → SVG on the server: renderer 'none' needs no canvas; the view is always finalized. */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { HarnessError } from "../../errors.ts";
import type { VegaLiteSpec } from "./spec.ts";

export async function renderSvg(spec: VegaLiteSpec, source: string): Promise<string> {
  let runtime: vega.Runtime;
  try {
    runtime = vega.parse(compile(spec as unknown as TopLevelSpec).spec);
  } catch (err) {
    throw new HarnessError(`chart spec ${source} does not compile: ${(err as Error).message}`, {
      fix: "check it against https://vega.github.io/schema/vega-lite/v6.json or delete your override",
      cause: err,
    });
  }
  const view = new vega.View(runtime, { renderer: "none", logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
