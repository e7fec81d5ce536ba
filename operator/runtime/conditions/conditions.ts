/**
 * metav1.Condition conventions (apimachinery's meta.SetStatusCondition): one entry per type,
 * lastTransitionTime changes only when status flips, reason is CamelCase, observedGeneration
 * says which spec the condition describes.
 */
export type ConditionStatus = "True" | "False" | "Unknown";

export interface Condition {
  type: string;
  status: ConditionStatus;
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface ConditionInput {
  type: string;
  status: ConditionStatus;
  reason: string;
  message?: string;
  observedGeneration?: number;
}

/** Returns a new list with the condition set; the input list is not mutated. */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  now?: Date,
): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === input.type);
  const existing = i >= 0 ? list[i] : undefined;
  const next: Condition = {
    type: input.type,
    status: input.status,
    reason: input.reason,
    // The CRD caps messages; a runaway error string must not make the status write fail.
    message: (input.message ?? "").slice(0, 4096),
    lastTransitionTime:
      existing && existing.status === input.status
        ? existing.lastTransitionTime
        : // The clock is read only on a transition: most calls keep the existing time.
          (now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    ...(input.observedGeneration !== undefined ? { observedGeneration: input.observedGeneration } : {}),
  };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === "True";
}
