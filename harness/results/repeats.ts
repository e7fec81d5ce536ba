/**
 * The merged view of `--repeat N` runs (DIR/results.json next to DIR/repeat-<i>/): distributions
 * merged exactly by histogram addition, counters summed, gauges averaged, series and events of
 * the first repeat (one time axis is readable; N overlaid are in the repeats themselves).
 * Thresholds pass only if they passed in every repeat; the reported value is the first failing
 * repeat's, else the last repeat's.
 */
import { HarnessError } from "../errors.ts";
import { mergeDistributions } from "./histogram.ts";
import type { DistributionMetric, Metric, Results, Threshold } from "./schema.ts";

export function mergeRepeats(repeats: readonly Results[]): Results {
  const first = repeats[0];
  const last = repeats.at(-1);
  if (!first || !last) throw new HarnessError("mergeRepeats: no repeats to merge");
  const metrics: Record<string, Metric> = {};
  for (const name of new Set(repeats.flatMap((r) => Object.keys(r.metrics)))) {
    const parts = repeats.map((r) => r.metrics[name]).filter((m): m is Metric => m !== undefined);
    const merged = mergeMetric(name, parts);
    if (merged) metrics[name] = merged;
  }
  const thresholds: Threshold[] = first.thresholds.map((t, i) => {
    const all = repeats
      .map((r) => r.thresholds[i])
      .filter((x): x is Threshold => x?.expression === t.expression);
    const failed = all.find((x) => x.status === "fail") ?? all.find((x) => x.status === "inconclusive");
    const notPassed = all.find((x) => !x.passed);
    return { ...(failed ?? notPassed ?? all.at(-1) ?? t), passed: notPassed === undefined };
  });
  const contaminated = repeats.flatMap((r, i) =>
    r.contamination?.contaminated ? r.contamination.reasons.map((x) => `repeat ${i + 1}: ${x}`) : [],
  );
  const judged = repeats.some((r) => r.contamination);
  const { repeat: _repeat, ...run } = first.run;
  return {
    ...first,
    run: {
      ...run,
      id: first.run.id.replace(/-repeat-\d+$/, ""),
      finishedAt: last.run.finishedAt,
      durationSeconds: repeats.reduce((s, r) => s + r.run.durationSeconds, 0),
    },
    verdict: repeats.some((r) => r.verdict === "fail")
      ? "fail"
      : repeats.some((r) => r.verdict === "inconclusive")
        ? "inconclusive"
        : "pass",
    ...(judged ? { contamination: { contaminated: contaminated.length > 0, reasons: contaminated } } : {}),
    metrics,
    thresholds,
    coverage: {
      expected: repeats.reduce((s, r) => s + r.coverage.expected, 0),
      observed: repeats.reduce((s, r) => s + r.coverage.observed, 0),
    },
  };
}

function mergeMetric(name: string, parts: Metric[]): Metric | undefined {
  const first = parts[0];
  if (!first) return undefined;
  if (parts.some((p) => p.type !== first.type)) {
    throw new HarnessError(
      `metric ${name} has different types across repeats (${parts.map((p) => p.type).join(", ")})`,
    );
  }
  switch (first.type) {
    case "distribution":
      return mergeDistributions(parts as DistributionMetric[], `metric ${name}`);
    case "counter":
      return { ...first, value: parts.reduce((s, p) => s + (p as typeof first).value, 0) };
    case "gauge":
      return { ...first, value: parts.reduce((s, p) => s + (p as typeof first).value, 0) / parts.length };
    case "series":
      return first;
  }
}
