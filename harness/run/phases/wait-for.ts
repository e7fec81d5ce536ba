/**
 * wait-for: blocks until a condition holds over the run's objects. At the timeout the run goes
 * on (so its results are still written) but counts a wait timeout, which fails the verdict, and
 * logs what is still missing. ready/gone are judged from the CR-latency tracker (every
 * accepted request observed), paths from the Path watch against the tunnels the live Sites imply.
 */
import type { Phase } from "../../scenario/phases.ts";
import type { RunContext } from "../context.ts";

type WaitForPhase = Extract<Phase, { kind: "wait-for" }>;

export async function runWaitFor(ctx: RunContext, phase: WaitForPhase): Promise<void> {
  const started = performance.now();
  let ok: boolean;
  if (phase.condition === "paths" || phase.object === "path") {
    ok = await ctx.paths.settled(phase.timeout, ctx.signal);
  } else {
    const kind = phase.object === "policy" ? "policy" : "site";
    ok = await ctx.crLatency.settled(
      kind,
      phase.condition === "gone" ? "gone" : "ready",
      phase.timeout,
      ctx.signal,
    );
  }
  const seconds = Math.round(performance.now() - started) / 1000;
  ctx.events.record(ok ? "wait.done" : "wait.timeout", "wait-for", {
    condition: phase.condition,
    object: phase.object,
    seconds,
  });
  if (ctx.signal.aborted) return;
  ctx.store.count("wait_timeouts", ok ? 0 : 1);
  // "All N Sites and their Paths Ready within X s of the burst": from the last action phase's start.
  if (ok) {
    const since = Math.round(performance.now() - ctx.timeline.actionStartedAt) / 1000;
    ctx.store.gauge(`convergence_seconds{wait="${phase.name ?? phase.condition}"}`, since, "s");
  }
  if (!ok) {
    const missing =
      phase.condition === "paths"
        ? ctx.paths.describeMissing()
        : ctx.crLatency.expectations.missing(5).join(", ");
    ctx.events.record("wait.missing", "wait-for", { missing });
    ctx.progress.log(
      `wait-for ${phase.condition} ${phase.object} timed out after ${phase.timeout / 1000}s; missing: ${missing}`,
    );
  }
}
