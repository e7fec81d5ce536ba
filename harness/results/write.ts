/**
 * Writing results.json: validated first (a writer bug must not produce a file readers reject),
 * then written to a temporary file and renamed, so a crash never leaves a partial file that looks
 * complete.
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HarnessError } from "../errors.ts";
import { formatPath, RESULTS_FILE } from "./load.ts";
import { type Results, ResultsSchema } from "./schema.ts";

/** Writes DIR/results.json atomically and returns its path. */
export async function writeResults(dir: string, results: Results): Promise<string> {
  const parsed = ResultsSchema.safeParse(results);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new HarnessError(`refusing to write invalid results to ${dir}: ${issues.join("; ")}`, {
      fix: "this is a bug in the code that built the results; see harness/results/results.schema.json",
    });
  }
  await mkdir(dir, { recursive: true });
  return writeFileAtomic(join(dir, RESULTS_FILE), `${JSON.stringify(parsed.data, null, 2)}\n`);
}

/** tmp + rename in the same directory (rename is atomic within one filesystem). */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<string> {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new HarnessError(`cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
  return path;
}
