/**
 * Names and labels of the objects a run creates. Their specs come from the operator definition's
 * templates (harness/operators/); Site names are the simulated world's.
 */

/** Label on every object a run creates, so cleanup and selectors find them. */
export const RUN_LABEL = "bench.patronus.io/run";

export function policyName(index: number): string {
  return `policy-${String(index).padStart(5, "0")}`;
}
