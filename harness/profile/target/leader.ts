/**
 * Which operator process to profile: the replica whose /metrics reports its leader metric (the
 * operator definition's `metrics.leader`, e.g. leader_election_master_status) at 1 — the one
 * running the controllers. Standbys only keep caches warm, so profiling them would show
 * informers and nothing else. An operator that elects no leader works on every replica: the
 * first running one is as good as any.
 */
import { join } from "node:path";
import { HarnessError } from "../../errors.ts";
import { parsePrometheusText } from "../../measure/prometheus/parse.ts";
import { fetchText } from "../../measure/scrape/fetch-text.ts";
import type { OperatorView } from "../../measure/targets.ts";
import type { InspectTarget } from "../inspector/attach.ts";

export interface LeaderTarget extends InspectTarget {
  identity: string;
  metricsUrl: string;
}

async function isLeader(metricsUrl: string, leaderMetric: string): Promise<boolean> {
  const text = await fetchText(metricsUrl, 2000);
  return parsePrometheusText(text).samples.some((s) => s.name === leaderMetric && s.value === 1);
}

/**
 * Polls the replicas for up to `timeoutMs`: a new leader may still be taking over. Without a
 * leader metric (`leaderMetric` undefined) it takes the first running replica.
 */
export async function findLeader(
  view: OperatorView,
  runDir: string,
  leaderMetric: string | undefined,
  timeoutMs = 15_000,
): Promise<LeaderTarget> {
  const deadline = performance.now() + timeoutMs;
  let seen = "no operator replica is running";
  while (performance.now() < deadline) {
    const running = view.replicas().filter((r) => r.running && r.pid !== undefined);
    if (running.length > 0) seen = `${running.length} replica(s) running, none reports leadership`;
    for (const r of running) {
      if (leaderMetric && !(await isLeader(r.metricsUrl, leaderMetric).catch(() => false))) continue;
      return {
        name: view.lease ? `operator leader ${r.identity}` : `operator replica ${r.identity}`,
        identity: r.identity,
        pid: r.pid as number,
        metricsUrl: r.metricsUrl,
        // defined-replica.ts names the log `<runDir>/<identity>.log`.
        logFile: join(runDir, `${r.identity}.log`),
      };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new HarnessError(`cannot find the operator leader to profile: ${seen} after ${timeoutMs} ms`);
}
