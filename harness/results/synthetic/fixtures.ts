/**
 * Writes the recorded synthetic fixtures under fixtures/results/ (see its README.md). Seeded, so
 * regenerating gives byte-identical files; a test checks the committed ones are current.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { mergeRepeats } from "../repeats.ts";
import type { Results } from "../schema.ts";
import { writeResults } from "../write.ts";
import { syntheticChurn, syntheticFailoverPath, syntheticScale1000 } from "./scenarios.ts";

export const REPEATS = 5;

export function churnRepeats(firstSeed: number, latencyFactor: number, startedAt: string): Results[] {
  return Array.from({ length: REPEATS }, (_, i) =>
    syntheticChurn({ seed: firstSeed + i, latencyFactor, repeat: { index: i + 1, of: REPEATS }, startedAt }),
  );
}

/** A valid results file that recorded almost nothing: reports must mark what is missing. */
export function syntheticSparse(): Results {
  const base = syntheticChurn({ seed: 9 });
  const { site_ready_latency } = base.metrics;
  return {
    ...base,
    run: { ...base.run, id: "synthetic-sparse", scenario: "sparse" },
    metrics: site_ready_latency ? { site_ready_latency } : {},
    thresholds: [
      base.thresholds[0]!,
      {
        metric: "update_observed_latency",
        expression: "p(99)<1000",
        value: null,
        passed: false,
        status: "fail",
        abortOnFail: false,
      },
    ],
    verdict: "fail",
    events: [],
    phases: [],
  };
}

export async function writeSyntheticFixtures(root: string): Promise<string[]> {
  const written: string[] = [];
  written.push(await writeResults(join(root, "scale-1000"), syntheticScale1000()));
  written.push(await writeResults(join(root, "churn"), syntheticChurn({ seed: 42 })));
  written.push(await writeResults(join(root, "failover-path"), syntheticFailoverPath()));
  written.push(await writeResults(join(root, "sparse"), syntheticSparse()));
  const sets: Array<[string, Results[]]> = [
    ["churn-aa-base", churnRepeats(100, 1, "2026-11-21T04:00:00Z")],
    ["churn-aa-head", churnRepeats(200, 1, "2026-11-21T05:00:00Z")],
    ["churn-slow-head", churnRepeats(300, 1.3, "2026-11-21T06:00:00Z")],
  ];
  for (const [name, repeats] of sets) {
    for (const r of repeats)
      written.push(await writeResults(join(root, name, `repeat-${r.run.repeat?.index}`), r));
    written.push(await writeResults(join(root, name), mergeRepeats(repeats)));
  }
  written.push(...(await writeBadFixtures(join(root, "bad"))));
  return written;
}

async function writeBadFixtures(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const good = JSON.stringify(syntheticFailoverPath(), null, 2);
  const files: Record<string, string> = {
    "schema-v0.json": JSON.stringify({ ...JSON.parse(good), schemaVersion: 0 }, null, 2),
    "schema-v3.json": JSON.stringify({ ...JSON.parse(good), schemaVersion: 3 }, null, 2),
    "truncated.json": good.slice(0, Math.floor(good.length * 0.6)),
    "missing-field.json": JSON.stringify(withoutP99(JSON.parse(good)), null, 2),
  };
  const out: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(dir, name), `${text}\n`);
    out.push(join(dir, name));
  }
  return out;
}

function withoutP99(results: { metrics: Record<string, Record<string, unknown>> }): unknown {
  delete results.metrics.path_failover_convergence?.p99;
  return results;
}

/** Every chart's data in one run: scale-1000 plus the failover fixture's fault events (bench and browser test). */
export function syntheticFullRun(): Results {
  const scale = syntheticScale1000();
  const failover = syntheticFailoverPath();
  return { ...scale, events: [...scale.events, ...failover.events].sort((a, b) => a.t - b.t) };
}
