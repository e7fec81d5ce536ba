/**
 * Runs on a cluster the harness does not own (`--cluster kubeconfig`; here an embedded control
 * plane reached only through its admin kubeconfig, as a user's cluster would be). The run's
 * objects are its to remove — after a pass and after a run that failed midway — unless --keep
 * leaves them; then the next run into that namespace is refused before anything starts, since
 * its objects would collide with the ones left. An operator already leading the run's Lease there
 * (renewing it) refuses the run; a Lease its dead holder left is waited out. Ctrl-C ends a run the
 * careful way: what it created is removed while its operator still runs, and no results are written.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { KubernetesObjectApi } from "@kubernetes/client-node";
import { execa } from "execa";
import { type ClusterHandle, startCluster } from "../../../harness/cluster/index.ts";
import { KubeObjects } from "../../../harness/load/kube/client.ts";
import { installAccess, referenceInstall } from "../../../harness/operators/install/index.ts";
import { REPO_ROOT } from "../../../harness/paths.ts";
import { runScenarioCommand } from "../../../harness/run/index.ts";
import { runOnce } from "../../../harness/run/orchestrator.ts";
import { ConsoleProgress } from "../../../harness/run/progress.ts";
import { loadScenario } from "../../../harness/scenario/load.ts";
import { MESH, PATH, SITE } from "../../../operator/api/v1alpha1/constants.ts";
import { microTime } from "../../../operator/runtime/leaderelection/record.ts";

const quiet = { write: () => true } as unknown as NodeJS.WriteStream;
// The harness's behaviour, not the operator's figures: correctness gates only, few Sites.
const GATES = 'thresholds={"lost_updates":["count==0"]}';

describe("runs on an existing cluster (kubeconfig provider)", {
  concurrency: false,
  timeout: 600_000,
}, () => {
  let cluster: ClusterHandle;
  let objects: KubeObjects;
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const count = async (kind: string, namespace: string) => (await objects.list(kind, namespace)).items.length;
  const options = (namespace: string) => ({
    cluster: "kubeconfig" as const,
    kubeconfig: cluster.kubeconfigPath,
    sites: 12,
    set: [GATES, `namespace=${namespace}`],
    noReport: true,
    log: quiet,
  });

  before(async () => {
    // The CRDs exist before kube-controller-manager starts, as on a cluster the operator was
    // installed on: its garbage collector then removes a deleted Mesh's Paths at once.
    cluster = await startCluster({ earlyObjects: (await referenceInstall()).crds });
    objects = new KubeObjects(cluster.kubeConfig());
  });
  after(async () => {
    await objects?.close();
    await cluster?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("removes what a run created once it passed", async () => {
    const out = tempDir("existing-pass-");
    const { results } = await runScenarioCommand("smoke", { ...options("passed"), out });
    assert.equal(results.verdict, "pass");
    for (const kind of [SITE.kind, MESH.kind, PATH.kind]) assert.equal(await count(kind, "passed"), 0, kind);
  });

  it("removes what a run created when it failed midway", async () => {
    const { definition } = await loadScenario("smoke", { set: options("failed").set, sites: 12 });
    const def = { ...definition, cluster: { ...definition.cluster, provider: "kubeconfig" as const } };
    def.cluster.kubeconfig = cluster.kubeconfigPath;
    await assert.rejects(
      runOnce(def, {
        dir: tempDir("existing-failed-"),
        id: "existing-failed",
        progress: new ConsoleProgress(quiet),
        // As a measurement or phase that throws: after the Sites were created, before the end.
        phaseHooks: {
          beforePhase: async (name) => {
            if (name === "paths-ready") throw new Error("a phase failed");
          },
        },
      }),
      /a phase failed/,
    );
    for (const kind of [SITE.kind, MESH.kind]) assert.equal(await count(kind, "failed"), 0, kind);
  });

  it("--keep leaves the run's objects; the next run into that namespace is refused, saying why", async () => {
    const out = tempDir("existing-keep-");
    const { results } = await runScenarioCommand("smoke", { ...options("kept"), out, keep: true });
    assert.equal(results.verdict, "pass");
    const sites = await count(SITE.kind, "kept");
    assert.ok(sites > 0, "the kept run's Sites");
    await assert.rejects(
      runScenarioCommand("smoke", {
        ...options("kept"),
        out: tempDir("existing-again-"),
      }),
      (err: Error & { fix?: string }) => {
        assert.match(
          err.message,
          new RegExp(`^namespace kept already holds ${sites} Sites, 2 Policies, 1 Mesh, \\d+ Paths `),
        );
        assert.match(err.fix ?? "", /--set namespace=/);
        return true;
      },
    );
    assert.equal(await count(SITE.kind, "kept"), sites, "the refused run touched nothing");
  });

  // Untyped: client-node's typed Lease client writes MicroTime with milliseconds, which the
  // apiserver refuses. microTime is the operator's own formatting.
  const lease = (holder: string, durationSeconds: number) => ({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: "patronus-operator", namespace: "patronus-system" },
    spec: { holderIdentity: holder, leaseDurationSeconds: durationSeconds, renewTime: microTime(new Date()) },
  });

  it("refuses to run beside another operator that leads (renews) the run's Lease", async () => {
    await installAccess(cluster.kubeConfig(), await referenceInstall()); // its namespace, when this test runs alone
    const api = KubernetesObjectApi.makeApiClient(cluster.kubeConfig());
    // The runs before left the Lease (released): written over, or created.
    const put = async (body: ReturnType<typeof lease>) => {
      const current = await api.read(body).catch(() => undefined);
      if (!current) return api.create(body);
      return api.replace({
        ...body,
        metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion },
      });
    };
    await put(lease("someone-else", 15));
    // A live leader renews within its retry period.
    const renew = setInterval(() => {
      void put(lease("someone-else", 15)).catch(() => {});
    }, 700);
    try {
      await assert.rejects(
        runScenarioCommand("smoke", {
          ...options("beside"),
          out: tempDir("existing-lease-"),
        }),
        /Lease patronus-system\/patronus-operator is held and renewed by someone-else/,
      );
      assert.equal(await count(SITE.kind, "beside"), 0, "refused before any Site");
    } finally {
      clearInterval(renew);
    }
    // Its holder died: the Lease is waited out, and the run goes ahead.
    await put(lease("crashed-run", 3));
    const lines: string[] = [];
    const { results } = await runScenarioCommand("smoke", {
      ...options("after-crash"),
      out: tempDir("existing-lease-expired-"),
      log: { write: (chunk: string) => lines.push(chunk) > 0 } as unknown as NodeJS.WriteStream,
    });
    assert.equal(results.verdict, "pass");
    assert.match(lines.join(""), /held by crashed-run; waiting to see whether it is renewed/);
  });

  it("Ctrl-C: the run ends its phase, removes what it created, writes no results, exits 130", async () => {
    const out = tempDir("existing-ctrl-c-");
    const child = execa(
      process.execPath,
      [
        join(REPO_ROOT, "harness", "cli", "main.ts"),
        "run",
        "smoke",
        "--cluster",
        "kubeconfig",
        "--kubeconfig",
        cluster.kubeconfigPath,
        "--sites",
        "12",
        "--set",
        "namespace=interrupted",
        "--set",
        GATES,
        "--out",
        out,
        "--no-report",
      ],
      { all: true, reject: false, env: { CI: "1" }, timeout: 180_000 },
    );
    let output = "";
    // Once the Sites exist, carrying the operator's finalizer: only a live operator lets them go.
    await new Promise<void>((resolveReady, reject) => {
      child.all?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("phase paths-ready")) resolveReady();
      });
      void child.then(() => reject(new Error(`the run ended before Ctrl-C:\n${output.slice(-3000)}`)));
    });
    assert.ok((await count(SITE.kind, "interrupted")) > 0, "the run's Sites exist");
    child.kill("SIGINT");
    const res = await child;
    assert.equal(res.exitCode, 130, output.slice(-3000));
    assert.match(res.all ?? "", /SIGINT: stopping the run/);
    assert.match(
      res.all ?? "",
      /interrupted by SIGINT: the run stopped and cleaned up; no results were written/,
    );
    assert.equal(existsSync(join(out, "results.json")), false, "no results that would look complete");
    for (const kind of [SITE.kind, MESH.kind]) assert.equal(await count(kind, "interrupted"), 0, kind);
  });
});
