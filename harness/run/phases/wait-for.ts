/**
 * wait-for: blocks until a condition holds over the run's objects. At the timeout the run goes
 * on (so its results are still written) but counts a wait timeout, which fails the verdict, and
 * logs what is still missing. The run's measurements judge the condition (see PhaseContext.waitFor).
 * Objects the operator reports Failed are not waited for: the wait ends when only they are left,
 * and names them (they are counted as failures when the run ends, not as a timeout).
 */
import type { Phase } from "../../scenario/phases.ts";
import type { PhaseContext, WaitCondition } from "../context.ts";

type WaitForPhase = Extract<Phase, { kind: "wait-for" }>;

export async function runWaitFor(ctx: PhaseContext, phase: WaitForPhase): Promise<void> {
  const started = performance.now();
  const condition: WaitCondition =
    phase.condition === "paths" || phase.object === "path"
      ? { state: "paths" }
      : {
          object: phase.object === "policy" ? "policy" : "site",
          state: phase.condition === "gone" ? "gone" : "ready",
        };
  const { ok, missing, failing = [] } = await ctx.waitFor(condition, phase.timeout);
  const seconds = Math.round(performance.now() - started) / 1000;
  ctx.events.record(ok ? "wait.done" : "wait.timeout", "wait-for", {
    condition: phase.condition,
    object: phase.object,
    seconds,
    ...(failing.length > 0 ? { failed: failing.length } : {}),
  });
  if (failing.length > 0)
    ctx.progress.log(
      `wait-for ${phase.condition} ${phase.object}: ${failing.length} Failed, not waited for (${failing
        .slice(0, 3)
        .map((f) => `${f.name}: ${f.message}`)
        .join("; ")}${failing.length > 3 ? "; …" : ""})`,
    );
  if (ctx.signal.aborted) return;
  ctx.store.count("wait_timeouts", ok ? 0 : 1);
  // "All N Sites and their Paths Ready within X s of the burst": from the last action phase's start.
  if (ok && failing.length === 0) {
    const since = Math.round(performance.now() - ctx.timeline.actionStartedAt) / 1000;
    ctx.store.gauge(`convergence_seconds{wait="${phase.name ?? phase.condition}"}`, since, "s");
  }
  if (!ok) {
    ctx.events.record("wait.missing", "wait-for", { missing });
    ctx.progress.log(
      `wait-for ${phase.condition} ${phase.object} timed out after ${phase.timeout / 1000}s; missing: ${missing}`,
    );
  }
}
