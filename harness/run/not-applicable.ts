/**
 * Applies a run's plan to its results: thresholds on what the operator lacks get status
 * "not-applicable" with the reason (never passed), the phases and measurements left out are
 * listed in `notApplicable`, and the verdict is decided by the thresholds that apply.
 */
import type { Results } from "../results/schema.ts";
import type { RunPlan } from "../scenario/subjects.ts";

export function withApplicability(
  results: Results,
  plan: Pick<RunPlan, "notApplicable" | "thresholds">,
): Results {
  const thresholds = results.thresholds.map((t) => {
    const reason = plan.thresholds.get(t.metric);
    return reason === undefined ? t : { ...t, passed: false, status: "not-applicable" as const, reason };
  });
  return {
    ...results,
    thresholds,
    verdict: verdictOf(thresholds),
    ...(plan.notApplicable.length > 0
      ? { notApplicable: [...(results.notApplicable ?? []), ...plan.notApplicable] }
      : {}),
  };
}

/** fail if any threshold failed; inconclusive if any could not be judged; else pass. */
export function verdictOf(thresholds: Results["thresholds"]): Results["verdict"] {
  if (thresholds.some((t) => t.status === "fail")) return "fail";
  if (thresholds.some((t) => t.status === "inconclusive")) return "inconclusive";
  return "pass";
}
