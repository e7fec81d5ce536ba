/**
 * A real kind cluster on this machine: real kind, real Docker, and a node image built from source
 * by ci/kind/node-image/build.sh (kindest/node cannot be pulled here). Nothing is imitated: kubeadm
 * brings up the control plane from kind-config.yaml (three nodes, its patches), flannel routes
 * pods between the nodes, CoreDNS resolves Services.
 *
 * 1. `run smoke --cluster kind`: the provider creates the cluster (falling back from kind's default
 *    image to the one built here), the scenario passes with the operator and simulator on this
 *    machine, and the cluster is deleted at the end.
 * 2. `kind up`: the image is built, `kind load`ed and deployed; the in-cluster operator (leader by
 *    Lease) registers Sites with the in-cluster simulator — reached by Service DNS across nodes —
 *    and writes their status and their Paths' status; its /metrics is read through a port-forward.
 * 3. `run <scenario> --runtime cluster` on that cluster (reused by name): the run replaces kind
 *    up's deployment with its own (its limits, flags and token; the simulator sharded in two),
 *    measures the pods' and the kind control plane's CPU and RSS from this host's /proc and the
 *    pods' cgroups, SIGKILLs the leader pod's process during churn (leader_failover_gap measured,
 *    nothing lost) and removes its workloads at the end.
 * 4. The same, with one simulator, through `--cluster kubeconfig` with kind's kubeconfig alone, as
 *    for a cluster on other machines: the nodes find the image themselves, CPU/RSS come from the
 *    operator's and the simulator's /metrics and the leader is killed by deleting its pod with no
 *    grace period.
 *
 * 5. Control-plane failover on that cluster: its kube-apiserver, then its etcd, restarted as the
 *    kubelet restarts static pods (SIGTERM to the process from this host, the kubelet's new
 *    container awaited) during churn; the operator catches up after each, nothing is lost.
 *
 * Cold, the node image takes ~15–25 min to build on 2 cores (.ci/run builds it before the tests);
 * afterwards the build is skipped in a second.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AppsV1Api, CoordinationV1Api } from "@kubernetes/client-node";
import { execa } from "execa";
import { KindCluster } from "../../../harness/cluster/kind/cluster.ts";
import { LOCAL_NODE_IMAGE } from "../../../harness/cluster/kind/kind-cli.ts";
import { kindUp } from "../../../harness/cluster/kind/up.ts";
import { OPERATOR_NAME } from "../../../harness/deploy/objects.ts";
import { forwardWorkloads } from "../../../harness/deploy/port-forward.ts";
import { KubeObjects } from "../../../harness/load/kube/client.ts";
import { generateWorld } from "../../../harness/mesh/model/world.ts";
import reference from "../../../harness/operators/builtin/reference/index.ts";
import { installCrds, referenceInstall } from "../../../harness/operators/install/index.ts";
import { ProcessSet } from "../../../harness/process/supervisor.ts";
import type { Results } from "../../../harness/results/schema.ts";
import { runScenarioCommand } from "../../../harness/run/index.ts";
import { MESH, PATH, SITE } from "../../../operator/api/v1alpha1/constants.ts";
import { requires } from "../../prerequisites/requires.ts";
import { condition, waitFor } from "../operator/env.ts";
import { prepareKindTests } from "./kind-test-setup.ts";

const NAME = `pb-kind-${process.pid}`;
// The generated Deployment's operator watches this namespace (deploy options' watchNamespace).
const NAMESPACE = "default";
const DEPLOY_NAMESPACE = "patronus-system";

async function kindClusters(kind: string): Promise<string[]> {
  const r = await execa(kind, ["get", "clusters"], { reject: false });
  return r.stdout.split("\n").filter(Boolean);
}

describe("a kind cluster from the node image built here", {
  timeout: 3_600_000,
  ...requires("docker", "kind"),
}, () => {
  const engine = new ProcessSet();
  let dir: string;
  let kind: string;
  const saved = { name: process.env.KIND_CLUSTER_NAME, image: process.env.KIND_NODE_IMAGE };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "kind-cluster-it-"));
    kind = await prepareKindTests(engine, dir);
    process.env.PATH = `${dirname(kind)}:${process.env.PATH}`;
    // A cluster of its own beside any kind-config.yaml cluster a user keeps; kind's default
    // image (unreachable here) so the provider's fallback to the built one is what runs.
    process.env.KIND_CLUSTER_NAME = NAME;
    delete process.env.KIND_NODE_IMAGE;
  });

  after(async () => {
    if (kind) await execa(kind, ["delete", "cluster", "--name", NAME], { reject: false });
    for (const [key, value] of [
      ["KIND_CLUSTER_NAME", saved.name],
      ["KIND_NODE_IMAGE", saved.image],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await engine.stopAll(20_000);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs a fixture scenario with its log captured; asserts it passed; answers the log and results.json. */
  async function runFixture(
    fixture: string,
    outName: string,
    options: { cluster?: "kubeconfig"; kubeconfig?: string; set?: string[] } = {},
  ): Promise<{ log: string; written: Results }> {
    const out = join(dir, outName);
    const lines: string[] = [];
    const { results } = await runScenarioCommand(join(import.meta.dirname, "fixtures", fixture), {
      ...options,
      out,
      noReport: true,
      log: { write: (chunk: string) => lines.push(chunk) > 0 } as unknown as NodeJS.WriteStream,
    });
    const log = lines.join("");
    assert.equal(results.verdict, "pass", log);
    return { log, written: JSON.parse(await readFile(join(out, "results.json"), "utf8")) as Results };
  }

  it("run smoke --cluster kind: creates the cluster from kind-config.yaml, passes, deletes it", async () => {
    assert.ok(!(await kindClusters(kind)).includes(NAME));
    const out = join(dir, "smoke");
    const { results } = await runScenarioCommand("smoke", {
      cluster: "kind",
      out,
      noReport: true,
      log: { write: () => true } as unknown as NodeJS.WriteStream,
    });
    assert.equal(results.verdict, "pass");
    const written = JSON.parse(await readFile(join(out, "results.json"), "utf8")) as Results;
    assert.equal(written.run.cluster.provider, "kind");
    assert.equal(
      written.run.cluster.knobs.kindNodeImage,
      LOCAL_NODE_IMAGE,
      "kind's default fell back to the built one",
    );
    assert.equal(written.run.cluster.knobs.kindCluster, NAME);
    assert.equal(written.run.cluster.knobs.kindClusterReused, false);
    assert.equal(written.run.versions.kubernetes, "v1.37.2", "read from the cluster's apiserver");
    // etcd's metrics through the host port kind picked (read back from Docker).
    const metrics = written.metrics as Record<string, { value?: number }>;
    assert.ok((metrics.etcd_bytes_per_object?.value ?? 0) > 0, "etcd's byte counters were read");
    assert.ok(!(await kindClusters(kind)).includes(NAME), "the cluster it created is deleted");
  });

  it("kind up: the in-cluster operator registers Sites with the in-cluster simulator, Paths report telemetry", async () => {
    const lines: string[] = [];
    const cluster = await kindUp({
      install: async (kc) => installCrds(kc, await referenceInstall()),
      runDir: join(dir, "up"),
      name: NAME,
      image: "patronus-bench:dev",
      build: true,
      deploy: true,
      sites: 50,
      log: (line) => lines.push(line),
    });
    const kc = cluster.kubeConfig();
    const objects = new KubeObjects(kc);
    try {
      // Leader election through the API: one replica holds the Lease.
      const leases = kc.makeApiClient(CoordinationV1Api);
      const holder = await waitFor(
        "the operator's Lease",
        async () => {
          const lease = await leases.readNamespacedLease({
            name: OPERATOR_NAME,
            namespace: DEPLOY_NAMESPACE,
          });
          return lease.spec?.holderIdentity || undefined;
        },
        60_000,
      );
      assert.match(holder, new RegExp(`^${OPERATOR_NAME}-`));

      await objects.create(MESH.kind, NAMESPACE, "bench", {
        topology: { type: "hub-spoke" },
        siteSelector: {},
      });
      // The in-cluster simulator's world: 50 sites, seed 1 (kind up's defaults).
      const world = generateWorld({ sites: 50, seed: 1 });
      const sites = world.sites.filter((s) => s.region === world.sites[0]?.region).slice(0, 4);
      assert.ok(sites.some((s) => s.hub) && sites.some((s) => !s.hub), "hubs and spokes");
      for (const [i, s] of sites.entries())
        await objects.create(
          SITE.kind,
          NAMESPACE,
          s.name,
          reference.kinds.Site.template?.({ index: i, seed: 0, variant: 0, site: s }).spec ?? {},
        );

      for (const s of sites) {
        await waitFor(
          `Site ${s.name} Ready`,
          async () => condition(await objects.read(SITE.kind, NAMESPACE, s.name), "Ready")?.status === "True",
          120_000,
        );
      }
      // Path status comes from the simulator's telemetry stream: the in-cluster path end to end.
      const paths = await waitFor(
        "every Path Healthy from telemetry",
        async () => {
          const { items } = await objects.list(PATH.kind, NAMESPACE);
          const healthy = items.filter(
            (p) =>
              condition(p, "Healthy")?.status === "True" &&
              (p.status as { lastTelemetryAt?: string })?.lastTelemetryAt,
          );
          return items.length > 0 && healthy.length === items.length ? items : undefined;
        },
        120_000,
      );
      assert.ok(paths.length >= 3, `${paths.length} Paths`);
      assert.equal(condition(await objects.read(MESH.kind, NAMESPACE, "bench"), "Ready")?.status, "True");

      const forwards = await forwardWorkloads(kc, DEPLOY_NAMESPACE, { operatorMetrics: 8080, mesh: 8080 });
      try {
        assert.equal(forwards.operators.length, 2, "a forward per operator replica");
        const leader = forwards.operators.find((f) => f.pod === holder);
        assert.ok(leader, `the leader ${holder} is forwarded`);
        const metrics = await (await fetch(`${leader.url}/metrics`)).text();
        assert.match(metrics, /controller_runtime_reconcile_total\{[^}]*controller="site"/);
        const health = await fetch(`${forwards.mesh?.url}/healthz`);
        assert.equal(health.status, 200);
      } finally {
        await forwards.close();
      }
      // A second start reuses the cluster by name and reports the image its nodes run.
      const again = await KindCluster.start({ runDir: join(dir, "again") });
      const knobs = again.metadata.knobs as Record<string, unknown>;
      assert.equal(knobs.kindClusterReused, true);
      assert.equal(knobs.kindNodeImage, LOCAL_NODE_IMAGE);
      await again.stop();
      assert.ok((await kindClusters(kind)).includes(NAME), "a reused cluster is left running");
    } finally {
      await objects.close();
      await cluster.stop();
    }
    assert.ok(
      lines.some((l) => l.includes(`loading patronus-bench:dev into ${NAME}`)),
      lines.join("\n"),
    );
  });

  it("run --runtime cluster: the operator's pods are measured, the leader's process is SIGKILLed, nothing is lost", async () => {
    assert.ok((await kindClusters(kind)).includes(NAME), "kind up's cluster is there to reuse");
    const { log, written } = await runFixture("in-cluster-failover.ts", "in-cluster");
    assert.match(log, /removing the workloads of an earlier deployment/, "kind up's pods are replaced");
    const runtime = written.run.cluster.knobs.operatorRuntime as {
      runtime: string;
      imagePullPolicy: string;
      operator: { replicas: number; resources: { limits: { cpu: string; memory: string } } };
      mesh: { shards: number };
      pods: Array<{
        pod: string;
        live: boolean;
        cgroup: { cpuLimitCores: number | null; memoryLimitBytes: number | null } | null;
      }>;
      measuredFrom: string;
    };
    assert.equal(runtime.runtime, "cluster");
    assert.equal(runtime.imagePullPolicy, "Never", "kind load put the image on the nodes");
    assert.deepEqual(runtime.operator.resources.limits, { cpu: "1", memory: "512Mi" });
    assert.equal(runtime.mesh.shards, 2, "the simulator sharded behind its router");
    assert.equal(runtime.pods.filter((p) => p.live).length, 2);
    assert.equal(runtime.pods.filter((p) => !p.live).length, 1, "the killed pod, replaced");
    for (const p of runtime.pods)
      assert.deepEqual(
        [p.cgroup?.cpuLimitCores, p.cgroup?.memoryLimitBytes],
        [1, 512 * 1024 * 1024],
        `${p.pod}: the limits as its cgroup enforced them`,
      );
    assert.equal(runtime.measuredFrom, "host /proc");
    const m = written.metrics as Record<
      string,
      { value?: number; count?: number; points?: Array<[number, number]> }
    >;
    assert.equal(m.operator_cpu_limit_cores?.value, 1);
    assert.equal(m.operator_memory_limit_bytes?.value, 512 * 1024 * 1024);
    assert.ok((m.operator_memory_peak_bytes?.value ?? 0) > 0, "peak memory from the pods' cgroups");
    assert.ok(m.operator_cpu_throttled_ratio !== undefined, "CPU throttling from the pods' cgroups");
    for (const name of ["operator_rss_bytes", "mesh_rss_bytes", "apiserver_cpu_cores", "etcd_rss_bytes"])
      assert.ok(
        (m[name]?.points ?? []).some(([, v]) => v > 0),
        `${name} measured from the host`,
      );
    assert.equal(m.leader_failover_gap?.count, 1);
    assert.equal(m.lost_updates?.value, 0);
    const detail = (kind: string) =>
      written.events.find((e) => e.kind === kind)?.detail as Record<string, unknown> | undefined;
    const kill = detail("operator.kill");
    assert.match(String(kill?.how), /^SIGKILL to pod patronus-operator-\S+'s process \(host pid \d+\)/);
    assert.notEqual(detail("leader.elected")?.identity, kill?.identity, "another pod took the Lease");
    // The run's workloads are gone; the cluster it reused is not.
    const cluster = await KindCluster.start({ runDir: join(dir, "after-run") });
    try {
      const apps = cluster.kubeConfig().makeApiClient(AppsV1Api);
      const left = await apps.listNamespacedDeployment({ namespace: DEPLOY_NAMESPACE });
      assert.deepEqual(
        left.items.map((d) => d.metadata?.name),
        [],
      );
    } finally {
      await cluster.stop();
    }
  });

  it("run --cluster kubeconfig --runtime cluster: a cluster the harness cannot see into is measured through /metrics", async () => {
    // kind's cluster through its kubeconfig alone: no host processes, no kind load (the image is on
    // the nodes from the test before, and IfNotPresent finds it there).
    const kubeconfig = join(dir, "kubeconfig-only.yaml");
    const exported = await execa(kind, ["get", "kubeconfig", "--name", NAME]);
    await writeFile(kubeconfig, exported.stdout, { mode: 0o600 });
    // One simulator: a sharded one is reached through its router only, which cannot stand for the mesh.
    const { log, written } = await runFixture("in-cluster-failover.ts", "kubeconfig-in-cluster", {
      cluster: "kubeconfig",
      kubeconfig,
      set: ["mesh.shards=1"],
    });
    assert.match(log, /the nodes pull patronus-bench:dev \(IfNotPresent\)/);
    const runtime = written.run.cluster.knobs.operatorRuntime as {
      imagePullPolicy: string;
      measuredFrom: string;
    };
    assert.equal(runtime.imagePullPolicy, "IfNotPresent");
    assert.equal(runtime.measuredFrom, "operator /metrics");
    const m = written.metrics as Record<
      string,
      { value?: number; count?: number; points?: Array<[number, number]> }
    >;
    assert.ok(
      (m.operator_rss_bytes?.points ?? []).some(([, v]) => v > 0),
      "RSS from process_resident_memory_bytes",
    );
    assert.ok(
      (m.mesh_rss_bytes?.points ?? []).some(([, v]) => v > 0) &&
        (m.mesh_cpu_cores?.points ?? []).some(([, v]) => v > 0),
      "the simulator's CPU and RSS from its /metrics",
    );
    assert.equal(m.apiserver_cpu_cores, undefined, "no control-plane process to read");
    assert.equal(m.operator_cpu_limit_cores?.value, 1, "the limit as the Deployment asked");
    assert.equal(m.leader_failover_gap?.count, 1);
    assert.equal(m.lost_updates?.value, 0);
    const kill = written.events.find((e) => e.kind === "operator.kill")?.detail as Record<string, unknown>;
    assert.match(
      String(kill?.how),
      /^pod patronus-operator-\S+ deleted with no grace period \(the kubelet stops it/,
    );
  });

  it("failover on kind: kube-apiserver and etcd restarted in place as static pods, the operator catches up", async () => {
    const { written } = await runFixture("kind-controlplane-restart.ts", "controlplane");
    assert.equal(written.run.cluster.knobs.kindCluster, NAME, "the cluster of the tests before, reused");
    const recovered = written.events
      .filter((e) => e.kind === "component.recovered")
      .map((e) => e.detail as { component: string; how: string });
    assert.deepEqual(
      recovered.map((r) => r.component),
      ["kube-apiserver", "etcd"],
    );
    for (const r of recovered) {
      const m = /^SIG(?:TERM|KILL) to host pid (\d+); the kubelet started pid (\d+) /.exec(r.how);
      assert.ok(m, `${r.component}: ${r.how}`);
      assert.notEqual(m[1], m[2], `${r.component} is a new process`);
    }
    const m = written.metrics as Record<string, { value?: number; count?: number }>;
    assert.equal(m.controlplane_recovery?.count, 2, "the operator caught up after each restart");
    assert.equal(m.lost_updates?.value, 0);
  });
});
