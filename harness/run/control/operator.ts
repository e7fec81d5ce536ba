/**
 * Operator failover: SIGKILL (or SIGTERM) the leader or a given replica, or restart one.
 * leader_failover_gap runs from the kill until a *different* replica holds the Lease and has
 * reconciled something (its reconcile counter, the definition's `metrics.reconcileTotal`, moved) —
 * "a new leader reconciling", not merely elected. An operator that exports no reconcile counter is
 * measured to the election, and the event says so. The killed replica is then started again as a
 * standby.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { HarnessError } from "../../errors.ts";
import { parsePrometheusText, sumOf } from "../../measure/prometheus/parse.ts";
import { fetchText } from "../../measure/scrape/fetch-text.ts";
import type { Injection } from "../../scenario/phases.ts";
import type { InjectionOutcome } from "../context.ts";
import type { OperatorReplicas } from "../system/operators.ts";
import type { ControlContext } from "./index.ts";

type OperatorAction = Extract<Injection, { target: "operator"; action: "kill-leader" | "kill" | "restart" }>;

async function reconciles(url: string, metric: string): Promise<number | undefined> {
  try {
    return sumOf(parsePrometheusText(await fetchText(url, 1000)).samples, metric);
  } catch {
    return undefined;
  }
}

export async function injectOperatorAction(
  ctx: ControlContext,
  operators: OperatorReplicas,
  action: OperatorAction,
): Promise<InjectionOutcome> {
  if (action.action === "restart") {
    const at = performance.now();
    await operators.restart(action.replica);
    ctx.events.record("operator.restart", "harness", { replica: action.replica }, at);
    return {};
  }
  let index = action.replica;
  let oldIdentity: string | undefined;
  // Without leader election every replica works at once: there is no leader to kill nor a new one to wait for.
  const leaderless = operators.view.lease === null;
  if (action.action === "kill-leader" && leaderless) {
    index = 0;
    ctx.events.record("operator.no-leader", "harness", {
      replica: 0,
      note: "the operator elects no leader: kill-leader kills replica 0",
    });
    ctx.progress.log("kill-leader: the operator elects no leader; killing replica 0");
  } else if (action.action === "kill-leader") {
    oldIdentity = await operators.leaderIdentity();
    const r = oldIdentity ? operators.replicaByIdentity(oldIdentity) : undefined;
    if (!r) throw new HarnessError("kill-leader: no operator replica holds the leader Lease");
    index = r.index;
  }
  const reconcileMetric = ctx.operatorDefinition.metrics.reconcileTotal;
  // Baselines of every other replica, so "reconciling" means work done after the kill.
  const others = operators.view.replicas().filter((r) => r.index !== index && r.running);
  const before = new Map<string, number>();
  if (reconcileMetric)
    for (const r of others) before.set(r.identity, (await reconciles(r.metricsUrl, reconcileMetric)) ?? 0);
  const killedAt = performance.now();
  const how = await operators.kill(index, action.signal);
  ctx.events.record(
    "operator.kill",
    "harness",
    { replica: index, identity: oldIdentity ?? null, signal: action.signal, how },
    killedAt,
  );
  let outcome: InjectionOutcome = {};
  if (action.action === "kill-leader" && !leaderless && others.length > 0) {
    const le = ctx.definition.operator.leaderElection;
    const deadline = killedAt + le.leaseDuration + le.retryPeriod + 30_000;
    let elected: string | undefined;
    while (performance.now() < deadline && !ctx.signal.aborted) {
      if (!elected) {
        const holder = await operators.leaderIdentity().catch(() => undefined);
        if (holder && holder !== oldIdentity) {
          elected = holder;
          ctx.events.record("leader.elected", "harness", { identity: holder });
        }
      }
      if (elected && !reconcileMetric) {
        const gap = performance.now() - killedAt;
        ctx.store.record("leader_failover_gap", gap);
        ctx.events.record("leader.elected.measured", "harness", {
          identity: elected,
          gapMs: Math.round(gap),
          note: "the operator exports no reconcile counter (metrics.reconcileTotal): measured to the election",
        });
        outcome = { measuredMs: gap };
        break;
      }
      if (elected && reconcileMetric) {
        const r = others.find((o) => o.identity === elected);
        const now = r ? await reconciles(r.metricsUrl, reconcileMetric) : undefined;
        if (r && now !== undefined && now > (before.get(r.identity) ?? 0)) {
          const gap = performance.now() - killedAt;
          ctx.store.record("leader_failover_gap", gap);
          ctx.events.record("leader.reconciling", "harness", { identity: elected, gapMs: Math.round(gap) });
          outcome = { measuredMs: gap };
          break;
        }
      }
      await sleep(100);
    }
    if (outcome.measuredMs === undefined) ctx.store.count("leader_failover_missed");
  }
  await operators.restart(index);
  ctx.events.record("operator.restarted", "harness", { replica: index });
  return outcome;
}
