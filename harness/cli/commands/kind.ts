/** `patronus-bench kind up|down|kubeconfig-path|forward`: the kind cluster of kind-config.yaml. */
import { homedir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { parseFlags } from "../flags.ts";

/** Kubeconfigs of kind clusters live here, so CI steps find them by cluster name. */
const STATE_DIR = join(homedir(), ".cache", "patronus-bench", "kind");

const Up = z.strictObject({
  name: z.string().min(1).optional(),
  config: z.string().min(1).optional(),
  nodeImage: z.string().min(1).optional(),
  image: z.string().min(1),
  build: z.boolean(),
  deploy: z.boolean(),
  sites: z.coerce.number().int().min(1),
  meshShards: z.coerce.number().int().min(1).max(64),
});
const Named = z.strictObject({ name: z.string().min(1).optional() });
const Forward = z.strictObject({ name: z.string().min(1).optional(), namespace: z.string().min(1) });

async function clusterName(name: string | undefined): Promise<string> {
  if (name) return name;
  const { kindClusterName, loadKindConfig } = await import("../../cluster/kind/config.ts");
  return kindClusterName(await loadKindConfig());
}

export function register(program: Command): void {
  const kind = program
    .command("kind")
    .description("create, reuse, load, deploy to and delete the kind cluster of kind-config.yaml");

  kind
    .command("up")
    .description(
      "create (or reuse by name) the cluster, build + `kind load` the image, deploy operator and simulator",
    )
    .option("--name <name>", "cluster name (default: $KIND_CLUSTER_NAME, else kind-config.yaml's)")
    .option("--config <file>", "kind config (default: kind-config.yaml)")
    .option("--node-image <image>", "kind node image (default: kind's, or $KIND_NODE_IMAGE)")
    .option("--image <tag>", "operator + simulator image", "patronus-bench:dev")
    .option("--no-build", "use the image as it is (already built)")
    .option("--no-deploy", "only the cluster and the CRDs")
    .option("--sites <n>", "sites the in-cluster simulator generates", "1000")
    .option("--mesh-shards <n>", "simulator replicas behind the shard router (each a site range)", "1")
    .action(async (raw: unknown) => {
      const f = parseFlags(Up, raw, "kind up");
      const { kindUp } = await import("../../cluster/kind/up.ts");
      const { installCrds, referenceInstall } = await import("../../operators/install/index.ts");
      const cluster = await kindUp({
        install: async (kc) => installCrds(kc, await referenceInstall()),
        runDir: STATE_DIR,
        image: f.image,
        build: f.build,
        deploy: f.deploy,
        sites: f.sites,
        meshShards: f.meshShards,
        log: (l) => console.error(l),
        ...(f.name ? { name: f.name } : {}),
        ...(f.config ? { configPath: f.config } : {}),
        ...(f.nodeImage ? { nodeImage: f.nodeImage } : {}),
      });
      await cluster.stop(); // kept: up always keeps the cluster
      console.log(cluster.kubeconfigPath);
    });

  kind
    .command("down")
    .description("delete the cluster (no error when it does not exist)")
    .option("--name <name>", "cluster name (default: $KIND_CLUSTER_NAME, else kind-config.yaml's)")
    .action(async (raw: unknown) => {
      const f = parseFlags(Named, raw, "kind down");
      const { deleteKindCluster } = await import("../../cluster/kind/cluster.ts");
      const name = await clusterName(f.name);
      console.error(
        (await deleteKindCluster(name)) ? `deleted kind cluster ${name}` : `no kind cluster ${name}`,
      );
    });

  kind
    .command("kubeconfig-path")
    .description("write the cluster's admin kubeconfig and print its path (for --cluster kubeconfig)")
    .option("--name <name>", "cluster name (default: $KIND_CLUSTER_NAME, else kind-config.yaml's)")
    .action(async (raw: unknown) => {
      const f = parseFlags(Named, raw, "kind kubeconfig-path");
      const { kindCli } = await import("../../cluster/kind/kind-cli.ts");
      const { mkdir, rename, writeFile } = await import("node:fs/promises");
      const name = await clusterName(f.name);
      const text = await (await kindCli()).kubeconfig(name);
      await mkdir(STATE_DIR, { recursive: true });
      const path = join(STATE_DIR, `kind-${name}.kubeconfig`);
      await writeFile(`${path}.tmp`, text, { mode: 0o600 });
      await rename(`${path}.tmp`, path);
      console.log(path);
    });

  kind
    .command("forward")
    .description("port-forward each operator replica's metrics and the simulator to loopback until Ctrl-C")
    .option("--name <name>", "cluster name (default: $KIND_CLUSTER_NAME, else kind-config.yaml's)")
    .option("--namespace <ns>", "namespace of the deployment", "patronus-system")
    .action(async (raw: unknown) => {
      const f = parseFlags(Forward, raw, "kind forward");
      const { KubeConfig } = await import("@kubernetes/client-node");
      const { kindCli } = await import("../../cluster/kind/kind-cli.ts");
      const { forwardWorkloads } = await import("../../deploy/port-forward.ts");
      const kc = new KubeConfig();
      kc.loadFromString(await (await kindCli()).kubeconfig(await clusterName(f.name)));
      const fw = await forwardWorkloads(kc, f.namespace, { operatorMetrics: 8080, mesh: 8080 });
      for (const o of fw.operators) console.log(`operator ${o.pod}: ${o.url}/metrics`);
      if (fw.mesh) console.log(`mesh simulator ${fw.mesh.pod}: ${fw.mesh.url}`);
      await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
      await fw.close();
    });
}
