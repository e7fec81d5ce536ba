/**
 * schemaVersion 1 → 2, in memory: a v1 run always ran the reference operator from this
 * repository, and its thresholds were only ever passed or failed.
 */
export function migrateV1(raw: Record<string, unknown>): Record<string, unknown> {
  const run = { ...(raw.run as Record<string, unknown>) };
  const versions = (run.versions ?? {}) as { operator?: unknown };
  run.operator = {
    name: "reference",
    origin: "built-in",
    version: typeof versions.operator === "string" ? versions.operator : "unknown",
    source: null,
  };
  const thresholds = Array.isArray(raw.thresholds)
    ? (raw.thresholds as Record<string, unknown>[]).map((t) => ({ ...t, status: t.passed ? "pass" : "fail" }))
    : raw.thresholds;
  return { ...raw, schemaVersion: 2, run, thresholds };
}
