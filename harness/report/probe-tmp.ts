import { loadRepeats } from "../results/load.ts";
import { compareRuns } from "./compare/compare.ts";

const f = "fixtures/results/";
for (const [b, h] of [
  ["churn-aa-base", "churn-aa-head"],
  ["churn-aa-base", "churn-slow-head"],
  ["churn-aa-base/repeat-1", "churn-aa-head/repeat-1"],
  ["churn-aa-base/repeat-1", "churn-slow-head/repeat-1"],
]) {
  const c = compareRuns(
    { label: b!, runs: await loadRepeats(f + b) },
    { label: h!, runs: await loadRepeats(f + h) },
  );
  console.log(b, h, c.verdict, c.warnings.length);
  for (const r of c.rows)
    console.log(
      "  ",
      r.metric.padEnd(26),
      r.stat.padEnd(5),
      r.changePercent?.toFixed(1).padStart(7),
      r.ciPercent
        ?.map((x) => x.toFixed(1))
        .join("..")
        .padEnd(14),
      r.p?.toExponential(2),
      r.test,
      r.verdict,
      r.gated ? "G" : "",
    );
}
