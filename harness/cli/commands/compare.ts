/**
 * `patronus-bench compare BASE HEAD`: per-metric change with confidence intervals and a verdict
 * from a statistical test plus a minimum effect size; exit 99 on a gated regression beyond the budget.
 */
import { join } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { ThresholdFailure } from "../../errors.ts";
import { checkOutDir, prepareOutDir } from "../../run/output-dir.ts";
import { parseFlags } from "../flags.ts";

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

const Flags = z.strictObject({
  format: z.enum(["table", "markdown", "json"]),
  minEffect: z.coerce.number().positive().max(1000),
  alpha: z.coerce.number().gt(0).lt(1),
  confidence: z.coerce.number().gt(0).lt(1),
  budget: z.coerce.number().nonnegative().optional(),
  gate: z.string().transform(list).optional(),
  stats: z
    .string()
    .transform(list)
    .pipe(z.array(z.enum(["p50", "p90", "p95", "p99", "mean", "max"])).min(1)),
  out: z.string().min(1).optional(),
  charts: z.string().min(1).optional(),
  png: z.boolean(),
  correction: z.enum(["holm", "none"]),
});

export function register(program: Command): void {
  program
    .command("compare")
    .description("compare two runs (results files or run directories with repeat-<i>/) metric by metric")
    .argument("<base>", "baseline: results.json or a run directory (repeats are used when present)")
    .argument("<head>", "candidate: results.json or a run directory")
    .option("--format <format>", "table | markdown | json", "table")
    .option("--min-effect <percent>", "smallest relative change that counts", "10")
    .option("--alpha <p>", "significance level of the test", "0.05")
    .option("--confidence <level>", "confidence level of the intervals", "0.95")
    .option(
      "--budget <percent>",
      "fail (exit 99) on a gated regression larger than this (default: --min-effect)",
    )
    .option(
      "--gate <metrics>",
      "comma-separated metrics that gate (default: every metric with a better direction)",
    )
    .option("--stats <stats>", "distribution statistics to compare", "p50,p99")
    .option("--correction <method>", "multiple-comparison correction of p-values: holm | none", "holm")
    .option("--out <dir>", "also write comparison.json, comparison.md and comparison.svg|png here")
    .option("--charts <dir>", "directory with a restyled compare.vl.json")
    .option("--no-png", "skip the PNG chart")
    .addHelpText(
      "after",
      `
Repeats (≥ 2 per side): Welch's t-test on the per-repeat values. One run per side: the
percentile's order-statistic interval on the raw histogram samples (Mann-Whitney U p shown).
A change is improved/regressed only if significant AND at least --min-effect.
Exit codes: 0 no gated regression, 99 a gated regression beyond --budget, 1 bad input.`,
    )
    .action(async (basePath: string, headPath: string, raw: unknown) => {
      const flags = parseFlags(Flags, raw, "compare");
      if (flags.out) await checkOutDir(flags.out);
      // Loaded on use: vega and resvg would slow every other command's start-up.
      const [
        { renderComparisonChart },
        { compareRuns },
        { formatComparison },
        { loadRepeats },
        { writeFileAtomic },
      ] = await Promise.all([
        import("../../report/compare/chart.ts"),
        import("../../report/compare/compare.ts"),
        import("../../report/compare/format.ts"),
        import("../../results/load.ts"),
        import("../../results/write.ts"),
      ]);
      const [baseRuns, headRuns] = await Promise.all([loadRepeats(basePath), loadRepeats(headPath)]);
      const comparison = compareRuns(
        { label: basePath, runs: baseRuns },
        { label: headPath, runs: headRuns },
        {
          minEffectPercent: flags.minEffect,
          alpha: flags.alpha,
          confidence: flags.confidence,
          distributionStats: flags.stats,
          correction: flags.correction,
          ...(flags.budget === undefined ? {} : { budgetPercent: flags.budget }),
          ...(flags.gate ? { gate: flags.gate } : {}),
        },
      );
      process.stdout.write(formatComparison(comparison, flags.format));
      if (flags.out) {
        await prepareOutDir(flags.out);
        await writeFileAtomic(join(flags.out, "comparison.json"), formatComparison(comparison, "json"));
        await writeFileAtomic(join(flags.out, "comparison.md"), formatComparison(comparison, "markdown"));
        await renderComparisonChart(comparison, flags.out, {
          png: flags.png,
          ...(flags.charts ? { chartsDir: flags.charts } : {}),
        });
      }
      if (comparison.regressions.length > 0) {
        const list = comparison.regressions
          .map(
            (r) =>
              `${r.metric} ${r.stat} ${r.changePercent === null ? "new" : `+${Math.abs(r.changePercent).toFixed(1)} %`}`,
          )
          .join(", ");
        throw new ThresholdFailure(
          `${comparison.regressions.length} gated metric(s) regressed beyond the ${comparison.options.budgetPercent} % budget: ${list}`,
        );
      }
    });
}
