/**
 * `patronus-bench up`: a cluster with the CRDs installed, until Ctrl-C. `--check` brings it up,
 * verifies it end to end, prints the timings and tears it down.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { z } from "zod";
import type { ClusterHandle } from "../../cluster/index.ts";
import { HarnessError } from "../../errors.ts";
import { parseFlags } from "../flags.ts";

const UpFlags = z.object({
  cluster: z.enum(["embedded", "kind", "kubeconfig"]),
  kubeconfig: z.string().optional(),
  context: z.string().optional(),
  runDir: z.string().optional(),
  check: z.boolean().optional(),
  maxRequestsInflight: z.coerce.number().int().positive().optional(),
  maxMutatingRequestsInflight: z.coerce.number().int().positive().optional(),
  apf: z.boolean(),
  etcdQuotaBytes: z.coerce.number().int().positive().optional(),
  apiserverPort: z.coerce.number().int().min(1).max(65535).optional(),
});

const CHECK_SITE = {
  apiVersion: "sdwan.patronus.io/v1alpha1",
  kind: "Site",
  metadata: { name: "up-check", namespace: "default" },
  spec: {
    region: "check",
    hub: false,
    links: [{ name: "mpls-1", type: "mpls", bandwidthMbps: 100, cost: 10 }],
  },
};

/**
 * The Site is created by server-side apply, as the harness creates everything it installs. A
 * plain POST would also work but, within 2 s of its CRD becoming Established, kube-apiserver
 * deliberately sleeps 2 s before serving it (an HA guard in apiextensions' create handler,
 * customresource_handler.go) — time a single apiserver does not need, and not the cluster's.
 */
async function verify(cluster: ClusterHandle): Promise<void> {
  const [{ CustomObjectsApi }, { applyObjects }] = await Promise.all([
    import("@kubernetes/client-node"),
    import("../../cluster/manifests.ts"),
  ]);
  const kc = cluster.kubeConfig();
  const api = kc.makeApiClient(CustomObjectsApi);
  const ref = { group: "sdwan.patronus.io", version: "v1alpha1", namespace: "default", plural: "sites" };
  await applyObjects(kc, [CHECK_SITE]);
  const back = (await api.getNamespacedCustomObject({ ...ref, name: "up-check" })) as {
    spec?: { region?: string };
  };
  if (back.spec?.region !== "check")
    throw new HarnessError("the Site read back differs from the one created");
}

export function register(program: Command): void {
  program
    .command("up")
    .description("bring up a cluster with the Patronus CRDs and keep it up until Ctrl-C")
    .addOption(
      new Option("--cluster <provider>", "cluster provider")
        .choices(["embedded", "kind", "kubeconfig"])
        .default("embedded"),
    )
    .option("--kubeconfig <path>", "kubeconfig of an existing cluster (--cluster kubeconfig)")
    .option("--context <name>", "kubeconfig context")
    .option("--run-dir <dir>", "where logs and kubeconfigs go (default: a temp dir removed on exit)")
    .option(
      "--check",
      "bring up, verify (CRDs Established, a Site created and read back), print timings, tear down",
    )
    .option("--max-requests-inflight <n>", "kube-apiserver --max-requests-inflight")
    .option("--max-mutating-requests-inflight <n>", "kube-apiserver --max-mutating-requests-inflight")
    .option("--no-apf", "disable API Priority and Fairness")
    .option("--etcd-quota-bytes <n>", "etcd --quota-backend-bytes")
    .option("--apiserver-port <port>", "fixed kube-apiserver port (default: a free one)")
    .action(async (raw: Record<string, unknown>) => {
      const f = parseFlags(UpFlags, raw, "up");
      // performance.now() counts from process start: the figure includes Node's own start-up.
      const elapsed = () => (performance.now() / 1000).toFixed(2);
      const { startCluster } = await import("../../cluster/index.ts");
      const { installAccess, installCrds, referenceInstall } = await import(
        "../../operators/install/index.ts"
      );
      // The reference operator's CRDs and RBAC, its CRDs applied while the apiserver starts.
      const install = await referenceInstall();
      const runDir = f.runDir ?? (f.check ? undefined : await mkdtemp(join(tmpdir(), "patronus-bench-up-")));
      const cluster = await startCluster({
        provider: f.cluster,
        runDir,
        kubeconfig: f.kubeconfig,
        context: f.context,
        knobs: {
          maxRequestsInflight: f.maxRequestsInflight,
          maxMutatingRequestsInflight: f.maxMutatingRequestsInflight,
          apiPriorityAndFairness: f.apf,
          etcdQuotaBytes: f.etcdQuotaBytes,
          apiserverPort: f.apiserverPort,
        },
        log: (l) => console.error(`  ${l}`),
        earlyObjects: install.crds,
      });
      try {
        await installCrds(
          cluster.kubeConfig(),
          install,
          () => cluster.appliedEarly?.() ?? Promise.resolve(false),
        );
        console.error(`  CRDs Established at ${elapsed()}s`);
        if (f.check) {
          await verify(cluster);
          for (const t of cluster.timings) console.log(`${t.component.padEnd(24)} ${t.seconds.toFixed(2)}s`);
          console.log(`ready in ${elapsed()}s`);
          return;
        }
        await installAccess(cluster.kubeConfig(), install);
        console.log(
          `cluster up in ${elapsed()}s (Kubernetes ${cluster.versions.kubernetes}, etcd ${cluster.versions.etcd})`,
        );
        console.log(`KUBECONFIG=${cluster.kubeconfigPath}`);
        console.log("press Ctrl-C to stop");
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        console.error("stopping…");
      } finally {
        await cluster.stop();
      }
    });
}
