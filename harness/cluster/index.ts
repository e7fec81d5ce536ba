/** Brings up (or connects to) the cluster a run uses. */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { EmbeddedKnobsInput } from "./embedded/knobs.ts";
import type { ClusterHandle, ProviderName } from "./provider.ts";

export type { EmbeddedCluster } from "./embedded/cluster.ts";
export type { ClusterHandle, ProviderName, RestartableComponent } from "./provider.ts";

export interface StartClusterOptions {
  provider?: ProviderName;
  /** Logs and kubeconfigs go under runDir/cluster; a temp dir when absent (removed on stop). */
  runDir?: string;
  kubeconfig?: string;
  context?: string;
  knobs?: EmbeddedKnobsInput;
  /** kind: leave the cluster running after the run. */
  keep?: boolean;
  log?: (line: string) => void;
  /**
   * Objects to apply as soon as the apiserver serves (the operator's CRDs), where the provider
   * can do that before it reports ready; see ClusterHandle.appliedEarly.
   */
  earlyObjects?: readonly KubernetesObject[];
}

export async function startCluster(options: StartClusterOptions = {}): Promise<ClusterHandle> {
  const provider = options.provider ?? "embedded";
  switch (provider) {
    case "embedded": {
      // Providers load on demand: the Kubernetes client alone takes a second to import.
      const { EmbeddedCluster } = await import("./embedded/cluster.ts");
      return EmbeddedCluster.start({
        runDir: options.runDir,
        knobs: options.knobs,
        log: options.log,
        ...(options.earlyObjects ? { earlyObjects: options.earlyObjects } : {}),
      });
    }
    case "kubeconfig": {
      const { KubeconfigCluster } = await import("./kubeconfig/cluster.ts");
      return withRunDir(options.runDir, (runDir, removeRunDirOnStop) =>
        KubeconfigCluster.connect({
          kubeconfig: options.kubeconfig,
          context: options.context,
          runDir,
          removeRunDirOnStop,
        }),
      );
    }
    case "kind": {
      const { KindCluster } = await import("./kind/cluster.ts");
      return withRunDir(options.runDir, (runDir, removeRunDirOnStop) =>
        KindCluster.start({ runDir, removeRunDirOnStop, keep: options.keep, log: options.log }),
      );
    }
  }
}

/** The given runDir, or a scratch dir that the cluster removes on stop — or now, if it fails to start. */
async function withRunDir(
  given: string | undefined,
  start: (runDir: string, removeRunDirOnStop: boolean) => Promise<ClusterHandle>,
): Promise<ClusterHandle> {
  if (given !== undefined) return start(given, false);
  const runDir = await scratchDir();
  try {
    return await start(runDir, true);
  } catch (err) {
    const { rm } = await import("node:fs/promises");
    await rm(runDir, { recursive: true, force: true });
    throw err;
  }
}

/** Kubeconfigs the harness writes never land in the working directory by default. */
async function scratchDir(): Promise<string> {
  const { mkdtemp } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  return mkdtemp(join(tmpdir(), "patronus-bench-"));
}
