/**
 * What a scenario uses of the operator under test, and what it may do without. Each phase and
 * threshold uses some kinds (Site, Policy, Path, Mesh), capabilities (leader election,
 * finalizers) and metrics the operator exports (reconcile counter, …); the scenario's `requires` says which of them it cannot run without. Against an
 * operator's kinds and capabilities this gives the run's plan: refused (one line naming what is
 * missing), or the phases to run, the ones left out and the thresholds that do not apply, each
 * with its reason. Pure: no I/O.
 */
import { z } from "zod";
import type { KindName, OperatorDefinition } from "../operators/definition.ts";
import type { Phase } from "./phases.ts";
import type { ScenarioDefinition } from "./schema.ts";

export const Capability = z.enum(["leaderElection", "finalizers"]);
export type Capability = z.infer<typeof Capability>;

/** The operator's own metrics the harness reads, by their role in its definition's `metrics`. */
export type OperatorMetric = "reconcileTotal" | "reconcileErrors" | "reconcileDuration" | "queueDepth";

/** What the operator's metric of each role is, in words ("the operator … has no queue depth metric"). */
export const OPERATOR_METRIC_TEXT: Readonly<Record<OperatorMetric, string>> = {
  reconcileTotal: "reconcile counter",
  reconcileErrors: "reconcile error counter",
  reconcileDuration: "reconcile duration histogram",
  queueDepth: "queue depth metric",
};

/** The run's metrics read from one of the operator's own, by that metric's role. */
export const FROM_OPERATOR_METRIC: Readonly<Record<string, OperatorMetric>> = {
  reconcile_rate: "reconcileTotal",
  reconcile_errors: "reconcileErrors",
  reconcile_time: "reconcileDuration",
  workqueue_depth: "queueDepth",
};

export interface Needs {
  kinds: KindName[];
  capabilities: Capability[];
  metrics?: OperatorMetric[];
}

/** The operator as far as applicability goes: its name, its kinds, what it can do and exports. */
export interface OperatorSubject {
  name: string;
  kinds: ReadonlySet<KindName>;
  capabilities: ReadonlySet<Capability>;
  metrics: ReadonlySet<OperatorMetric>;
}

export function subjectOf(
  def: Pick<OperatorDefinition, "name" | "kinds" | "capabilities" | "metrics">,
): OperatorSubject {
  const kinds = new Set<KindName>();
  for (const [k, spec] of Object.entries(def.kinds)) if (spec) kinds.add(k as KindName);
  const capabilities = new Set<Capability>();
  if (def.capabilities.leaderElection) capabilities.add("leaderElection");
  if (def.capabilities.finalizers) capabilities.add("finalizers");
  const metrics = new Set<OperatorMetric>();
  for (const role of Object.keys(OPERATOR_METRIC_TEXT) as OperatorMetric[])
    if (def.metrics[role]) metrics.add(role);
  return { name: def.name, kinds, capabilities, metrics };
}

/**
 * Metrics that only an operator with these kinds or capabilities can produce. A threshold on a
 * metric labelled with a phase (`{phase="…"}`, `{wait="…"}`) follows that phase instead.
 */
export const METRIC_NEEDS: Readonly<Record<string, Partial<Needs>>> = {
  path_status_latency: { kinds: ["Path"] },
  path_failover_convergence: { kinds: ["Path", "Policy"] },
  site_failover_convergence: { kinds: ["Path", "Policy"] },
  failover_unrestored: { kinds: ["Path", "Policy"] },
  policy_apply_latency: { kinds: ["Policy"] },
  leader_failover_gap: { capabilities: ["leaderElection"] },
  ...Object.fromEntries(
    Object.entries(FROM_OPERATOR_METRIC).map(([metric, role]) => [metric, { metrics: [role] }]),
  ),
};

const OBJECT_KIND: Record<string, KindName> = { site: "Site", policy: "Policy", path: "Path" };

export function phaseNeeds(phase: Phase): Needs {
  switch (phase.kind) {
    case "create":
    case "churn":
    case "load":
      return {
        kinds: [OBJECT_KIND[phase.object] as KindName],
        capabilities: [],
      };
    case "wait-for":
      return {
        kinds: [phase.condition === "paths" ? "Path" : (OBJECT_KIND[phase.object] as KindName)],
        capabilities: [],
      };
    case "inject":
      return injectionNeeds(phase.inject);
    default:
      return { kinds: [], capabilities: [] };
  }
}

function injectionNeeds(inject: Extract<Phase, { kind: "inject" }>["inject"]): Needs {
  if (inject.target === "operator" && inject.action.endsWith("-leader"))
    return { kinds: [], capabilities: ["leaderElection"] };
  return { kinds: [], capabilities: [] };
}

const CAPABILITY_TEXT: Record<Capability, string> = {
  leaderElection: "leader election",
  finalizers: "finalizers",
};

/** What of `needs` the operator lacks, in words ("Path resources", "leader election"); empty: nothing. */
export function lacking(needs: Partial<Needs>, subject: OperatorSubject): string[] {
  const out: string[] = [];
  for (const k of needs.kinds ?? []) if (!subject.kinds.has(k)) out.push(`${k} resources`);
  for (const c of needs.capabilities ?? []) if (!subject.capabilities.has(c)) out.push(CAPABILITY_TEXT[c]);
  for (const m of needs.metrics ?? []) if (!subject.metrics.has(m)) out.push(OPERATOR_METRIC_TEXT[m]);
  return out;
}

function notApplicableReason(missing: string[], subject: OperatorSubject): string {
  return `not applicable: the operator ${subject.name} has no ${missing.map((m) => m.replace(/ resources$/, " resource")).join(" and no ")}`;
}

export interface PlannedPhase {
  index: number;
  /** The phase to run (timed injections it cannot do removed), or undefined when left out. */
  phase?: Phase;
  /** Why it or a part of it is left out. */
  skipped?: string;
}

export interface RunPlan {
  phases: PlannedPhase[];
  /** Phases, injections and measurements left out, with why: results.json `notApplicable`. */
  notApplicable: Array<{ subject: string; reason: string }>;
  /** Thresholds (by metric key) that do not apply, with why. */
  thresholds: Map<string, string>;
  /** Whether the run watches Paths (wait-for paths, path-status, the Mesh's tunnels). */
  paths: boolean;
}

function phaseLabel(phase: Phase, index: number): string {
  return phase.name ?? `${index + 1}-${phase.kind}`;
}

function required(def: ScenarioDefinition, needs: Needs): boolean {
  const req = def.requires;
  return (
    needs.kinds.some((k) => req.kinds.includes(k)) ||
    needs.capabilities.some((c) => req.capabilities.includes(c))
  );
}

/**
 * Why the operator cannot run this scenario at all, in one line, or undefined when it can: a
 * required kind or capability it lacks, or a phase marked `optional: false` that needs one.
 */
export function refusal(def: ScenarioDefinition, subject: OperatorSubject): string | undefined {
  const missing = new Set(lacking(def.requires, subject));
  const mustHave = (optional: boolean | undefined, needs: Needs) => {
    if (optional === false || (optional !== true && required(def, needs)))
      for (const m of lacking(needs, subject)) missing.add(m);
  };
  for (const phase of def.phases) {
    mustHave(phase.optional, phaseNeeds(phase));
    if (phase.kind === "load" || phase.kind === "churn")
      for (const d of phase.during) mustHave(d.optional, injectionNeeds(d.inject));
  }
  if (missing.size === 0) return undefined;
  const has = [...subject.kinds].join(", ");
  return `scenario ${def.name} needs ${[...missing].join(" and ")}; the operator ${subject.name} has none (it serves ${has})`;
}

/** The run's plan on an operator that can run the scenario (check refusal() first). */
export function planRun(def: ScenarioDefinition, subject: OperatorSubject): RunPlan {
  const notApplicable: RunPlan["notApplicable"] = [];
  const skippedByName = new Map<string, string>();
  const phases: PlannedPhase[] = def.phases.map((phase, index) => {
    const name = phaseLabel(phase, index);
    const missing = lacking(phaseNeeds(phase), subject);
    if (missing.length > 0) {
      const reason = notApplicableReason(missing, subject);
      notApplicable.push({ subject: `phase ${name}`, reason });
      skippedByName.set(name, reason);
      return { index, skipped: reason };
    }
    if ((phase.kind === "load" || phase.kind === "churn") && phase.during.length > 0) {
      const during = phase.during.filter((d) => {
        const lack = lacking(injectionNeeds(d.inject), subject);
        if (lack.length === 0) return true;
        notApplicable.push({
          subject: `phase ${name}: ${describeInjection(d.inject)} after ${d.after / 1000} s`,
          reason: notApplicableReason(lack, subject),
        });
        return false;
      });
      if (during.length !== phase.during.length) return { index, phase: { ...phase, during } };
    }
    return { index, phase };
  });
  const paths = subject.kinds.has("Path");
  if (!paths)
    notApplicable.push({
      subject: "measurement path-status",
      reason: notApplicableReason(["Path resources"], subject),
    });
  // Recorded from the operator's own metrics: without one, its figure is not there to judge.
  for (const [metric, role] of Object.entries(FROM_OPERATOR_METRIC))
    if (!subject.metrics.has(role))
      notApplicable.push({
        subject: `metric ${metric}`,
        reason: notApplicableReason([OPERATOR_METRIC_TEXT[role]], subject),
      });
  const thresholds = new Map<string, string>();
  for (const metric of Object.keys(def.thresholds)) {
    const reason = thresholdReason(metric, subject, skippedByName);
    if (reason) thresholds.set(metric, reason);
  }
  return { phases, notApplicable, thresholds, paths };
}

function thresholdReason(
  metric: string,
  subject: OperatorSubject,
  skippedByName: ReadonlyMap<string, string>,
): string | undefined {
  for (const m of metric.matchAll(/\b(?:phase|wait)="([^"]*)"/g)) {
    const reason = skippedByName.get(m[1] as string);
    if (reason) return reason;
  }
  const brace = metric.indexOf("{");
  const base = brace === -1 ? metric : metric.slice(0, brace);
  const needs = METRIC_NEEDS[base];
  const missing = needs ? lacking(needs, subject) : [];
  return missing.length > 0 ? notApplicableReason(missing, subject) : undefined;
}

function describeInjection(inject: Extract<Phase, { kind: "inject" }>["inject"]): string {
  if (inject.target === "operator")
    return "signal" in inject ? `${inject.action} (${inject.signal})` : inject.action;
  if (inject.target === "controlplane") return `${inject.action} ${inject.component}`;
  return `mesh ${inject.action}`;
}
