/**
 * Restarting kube-apiserver or etcd on a kind node. Both are static pods: the kubelet owns them
 * and starts their container again when its process exits (restartPolicy Always), so a restart
 * here is the component's process stopped as the embedded provider stops its own (SIGTERM,
 * SIGKILL after the grace period) and the kubelet's new container awaited until it serves again.
 * Moving the static pod's manifest away and back would need a shell in the node and the kubelet's
 * file-check period (20 s) twice.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { HarnessError } from "../../errors.ts";
import { isAlive } from "../../process/supervisor.ts";
import type { RestartableComponent } from "../provider.ts";

/**
 * SIGTERM → SIGKILL. The apiserver closes watches after 2 s (kind-config.yaml) and drains its
 * requests, as the embedded provider's; etcd 3.7 took ~7 s to close its client listeners here.
 */
const STOP_GRACE_MS: Record<RestartableComponent, number> = { etcd: 10_000, "kube-apiserver": 15_000 };

export interface StaticPodHost {
  /** The kind node container, for messages. */
  node: string;
  /** The component's host PID from a fresh look at /proc, or undefined while it has none. */
  pidOf(component: RestartableComponent): Promise<number | undefined>;
  /**
   * Resolves when the component serves again (etcd's /health where the host reaches it, then the
   * apiserver's /readyz); rejects with why it does not yet.
   */
  ready(component: RestartableComponent): Promise<void>;
}

export interface StaticPodRestart {
  oldPid: number;
  newPid: number;
  signal: "SIGTERM" | "SIGKILL";
  /** From the signal to the kubelet's new process, and from there to /readyz answering 200. */
  restartedMs: number;
  readyMs: number;
}

async function exited(pid: number, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  while (performance.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

export async function restartStaticPod(
  component: RestartableComponent,
  host: StaticPodHost,
  options: { timeoutMs?: number } = {},
): Promise<StaticPodRestart> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const oldPid = await host.pidOf(component);
  if (oldPid === undefined)
    throw new HarnessError(`cannot find ${component} of kind node ${host.node} among this host's processes`, {
      fix: "the harness must run on the machine that runs kind's node containers, with access to their processes",
    });
  const t0 = performance.now();
  let signal: StaticPodRestart["signal"] = "SIGTERM";
  try {
    process.kill(oldPid, "SIGTERM");
  } catch (err) {
    throw new HarnessError(`cannot signal ${component} (host pid ${oldPid}): ${(err as Error).message}`, {
      fix: "run the harness as a user allowed to signal the kind node's processes (root, as Docker runs them)",
    });
  }
  if (!(await exited(oldPid, STOP_GRACE_MS[component]))) {
    signal = "SIGKILL";
    process.kill(oldPid, "SIGKILL");
    if (!(await exited(oldPid, 5000)))
      throw new HarnessError(`${component} (host pid ${oldPid}) did not exit after SIGKILL`);
  }
  const deadline = t0 + timeoutMs;
  let newPid: number | undefined;
  while (performance.now() < deadline) {
    const pid = await host.pidOf(component);
    if (pid !== undefined && pid !== oldPid) {
      newPid = pid;
      break;
    }
    await sleep(250);
  }
  if (newPid === undefined)
    throw new HarnessError(
      `the kubelet did not start ${component} again on ${host.node} within ${timeoutMs / 1000}s`,
      { fix: `see \`docker exec ${host.node} crictl ps -a --name ${component}\` and the kubelet's log` },
    );
  const restarted = performance.now();
  let last = "no answer yet";
  while (performance.now() < deadline) {
    try {
      await host.ready(component);
      return {
        oldPid,
        newPid,
        signal,
        restartedMs: restarted - t0,
        readyMs: performance.now() - restarted,
      };
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100);
  }
  throw new HarnessError(
    `${component} on ${host.node} did not serve again within ${timeoutMs / 1000}s of its restart (${last})`,
  );
}
