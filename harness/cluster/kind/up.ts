/**
 * `patronus-bench kind up`: the kind cluster (created or reused), the image built and
 * `kind load`ed into its nodes, the operator's CRDs (given by the caller), and the operator +
 * simulator deployed and Available.
 * The cluster is kept: `kind down` (or `kind delete cluster`) removes it.
 */
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { execa } from "execa";
import { HarnessError } from "../../errors.ts";
import { REPO_ROOT } from "../../paths.ts";
import { KindCluster } from "./cluster.ts";
import { kindCli } from "./kind-cli.ts";

export interface KindUpOptions {
  runDir: string;
  name?: string;
  configPath?: string;
  nodeImage?: string;
  image: string;
  build: boolean;
  deploy: boolean;
  sites: number;
  /** Simulator replicas behind the shard router (1: one simulator). */
  meshShards?: number;
  log: (line: string) => void;
  /**
   * Installs what the operator needs on the new cluster (its CRDs), before anything is deployed.
   * Required: an operator deployed without the CRDs it watches never becomes Ready.
   */
  install: (kc: KubeConfig) => Promise<void>;
}

export async function buildImage(tag: string, log: (line: string) => void): Promise<void> {
  const script = join(REPO_ROOT, "ci", "container", "build-image.sh");
  const r = await execa(script, [tag], { reject: false, all: true, timeout: 900_000 });
  if (r.exitCode !== 0)
    throw new HarnessError(`building image ${tag} failed:\n${(r.all ?? "").slice(-1500)}`, {
      fix: `run ${script} ${tag}`,
    });
  log((r.all ?? "").trim().split("\n").at(-1) ?? `built ${tag}`);
}

export async function kindUp(o: KindUpOptions): Promise<KindCluster> {
  const cluster = await KindCluster.start({
    runDir: o.runDir,
    keep: true,
    log: o.log,
    ...(o.name ? { name: o.name } : {}),
    ...(o.configPath ? { configPath: o.configPath } : {}),
    ...(o.nodeImage ? { nodeImage: o.nodeImage } : {}),
  });
  const name = cluster.name;
  await o.install(cluster.kubeConfig());
  if (o.build) await buildImage(o.image, o.log);
  if (o.deploy) {
    const kind = await kindCli();
    o.log(`kind: loading ${o.image} into ${name}`);
    await kind.run(["load", "docker-image", o.image, "--name", name]);
    const { deployWorkloads } = await import("../../deploy/apply.ts");
    // Never pull: the image exists only inside the nodes, put there by `kind load`.
    await deployWorkloads(
      cluster.kubeConfig(),
      { image: o.image, imagePullPolicy: "Never", mesh: { sites: o.sites, shards: o.meshShards ?? 1 } },
      { log: o.log },
    );
  }
  return cluster;
}
