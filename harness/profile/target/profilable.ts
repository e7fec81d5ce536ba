/**
 * Whether the profiler can reach the operator under test, decided before anything starts. The
 * cpu, heap and flame tools drive a Node.js process's V8 inspector (opened by SIGUSR1), so they
 * need an operator started by Node; doctor reads /metrics and works on any. With several replicas
 * of an operator that elects a leader, the leader is found by its leader metric.
 */
import { basename } from "node:path";
import { HarnessError } from "../../errors.ts";
import type { OperatorDefinition } from "../../operators/definition.ts";
import type { ProfilerTool } from "../tools/tool.ts";

/** Started by the harness's own Node (`{node}`) or a `node` binary. */
export function startsUnderNode(def: Pick<OperatorDefinition, "start">): boolean {
  const argv0 = def.start.command[0] ?? "";
  return argv0 === "{node}" || /^node(\d+)?$/.test(basename(argv0));
}

/**
 * The leader metric the profiler finds its target by, or undefined where any running replica is
 * the one to profile (no leader election, or one replica). Throws (exit 1) where it cannot profile.
 */
export function profilingTarget(
  def: Pick<OperatorDefinition, "name" | "start" | "capabilities" | "metrics">,
  tool: Pick<ProfilerTool, "name" | "needsInspector">,
  replicas: number,
): string | undefined {
  if (tool.needsInspector && !startsUnderNode(def))
    throw new HarnessError(
      `--tool ${tool.name} attaches to a Node.js process's V8 inspector; the operator ${def.name} is not started by Node (${def.start.command[0]})`,
      {
        fix: `use --tool doctor (its /metrics over the window), or profile the operator with a native profiler (e.g. perf) beside a \`patronus-bench run\``,
      },
    );
  if (!def.capabilities.leaderElection || replicas === 1) return undefined;
  if (!def.metrics.leader)
    throw new HarnessError(
      `the operator ${def.name} elects a leader but declares no leader metric (metrics.leader), so the profiler cannot tell its leader from a standby`,
      { fix: "declare metrics.leader in its definition, or profile one replica: --set operator.replicas=1" },
    );
  return def.metrics.leader;
}
