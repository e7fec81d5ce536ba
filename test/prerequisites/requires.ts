/**
 * A test's declaration of what it needs: `describe("…", requires("docker", "kind"), () => …)`.
 * Where something is missing (no root, no Docker) the test is not run and says why — the
 * closing summary lists it (skipped-reporter.ts). In CI (CI=true) nothing is left out: the test
 * runs and fails on what is missing, and the pretest has already failed the run.
 */
import { type PrerequisiteId, strict, unavailable } from "./prerequisites.ts";

export function requires(...ids: PrerequisiteId[]): { skip?: string } {
  if (strict()) return {};
  const missing = unavailable(ids);
  if (missing.length === 0) return {};
  return {
    skip: `needs ${missing.map((m) => `${m.prerequisite.what} (${m.reason}; fix: ${m.prerequisite.fix})`).join(", ")}`,
  };
}
