/**
 * A finished A/B read back from its directory (ab.json and the runs beside it), so its answer
 * can be given again with other gated metrics, minimum effect or confidence without running it
 * again. The runs are paired as ab.json's run order says.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { HarnessError } from "../errors.ts";
import { loadResults } from "../results/load.ts";
import type { Results } from "../results/schema.ts";

const Side = z.object({ ref: z.string(), source: z.string().optional() });
const AbFile = z.object({
  abSchemaVersion: z.literal(1),
  scenario: z.string(),
  order: z.array(z.string().regex(/^(base|head)\/repeat-\d+$/)).min(2),
  base: Side,
  head: Side,
  /** Written while the A/B runs: the pairs done of those planned (absent once it finished). */
  partial: z.object({ pairs: z.number().int().nonnegative(), of: z.number().int().positive() }).optional(),
});

export interface FinishedAb {
  scenario: string;
  labels: { base: string; head: string; scenario: string };
  base: Results[];
  head: Results[];
  pairs: number;
  /** Set when the A/B stopped (or is still running) before all its pairs: how many were planned. */
  planned?: number;
}

export async function readFinishedAb(dir: string): Promise<FinishedAb> {
  const file = join(dir, "ab.json");
  const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    throw new HarnessError(`${file}: ${err.code === "ENOENT" ? "no such file" : err.message}`, {
      fix: "give the directory an `ab` run wrote (it holds ab.json, base/ and head/)",
    });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HarnessError(`${file}: not JSON (${(err as Error).message})`, {
      fix: "give the directory an `ab` run wrote",
    });
  }
  const parsed = AbFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HarnessError(`${file}: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`, {
      fix: "give the directory an `ab` run wrote, with this version of patronus-bench",
    });
  }
  const ab = parsed.data;
  const pairs = Math.max(...ab.order.map((o) => Number(o.split("-").at(-1))));
  const load = (side: "base" | "head") =>
    Promise.all(Array.from({ length: pairs }, (_, k) => loadResults(join(dir, side, `repeat-${k + 1}`))));
  const [base, head] = await Promise.all([load("base"), load("head")]);
  const label = (s: z.infer<typeof Side>) => (s.source ? `${s.ref} (${s.source})` : s.ref);
  return {
    scenario: ab.scenario,
    labels: { base: `base ${label(ab.base)}`, head: `head ${label(ab.head)}`, scenario: ab.scenario },
    base,
    head,
    pairs,
    ...(ab.partial ? { planned: ab.partial.of } : {}),
  };
}
