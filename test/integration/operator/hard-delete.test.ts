/**
 * A Site, Policy or Mesh can vanish without its finalizer having run: the apiserver checks finalizers on the
 * object it read before deleting, so a DELETE racing with the operator adding its finalizer
 * removes the object anyway (kubernetes/kubernetes#77988, #129584) — after the operator may
 * have pushed it to the Patronus API. One smoke repeat lost a Site deregistration this way. The
 * race's outcome is made deterministic here by removing the object's key from etcd directly,
 * which is what the racing DELETE ends up doing: the operator sees a DELETED event for an object
 * that still carries its finalizer, and must clean up in the API all the same.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { GROUP } from "../../../operator/api/v1alpha1/types.ts";
import { MESH_FINALIZER } from "../../../operator/controllers/mesh/controller.ts";
import { POLICY_FINALIZER } from "../../../operator/controllers/policy/controller.ts";
import { SITE_FINALIZER } from "../../../operator/controllers/site/controller.ts";
import { condition, NS, type OperatorEnv, site, startEnv, waitFor } from "./env.ts";

const API = `${GROUP}/v1alpha1`;

/** The etcd client URL, from the running kube-apiserver's command line. */
function etcdUrl(env: OperatorEnv): string {
  const pid = env.cluster.pids()["kube-apiserver"];
  assert.ok(pid, "the embedded kube-apiserver is running");
  const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  const flag = args.find((a) => a.startsWith("--etcd-servers="));
  assert.ok(flag, "kube-apiserver has --etcd-servers");
  return flag.slice("--etcd-servers=".length).split(",")[0]!;
}

/** Deletes one key through etcd's v3 JSON gateway; returns how many keys went. */
async function etcdDelete(url: string, key: string): Promise<number> {
  const res = await fetch(`${url}/v3/kv/deleterange`, {
    method: "POST",
    body: JSON.stringify({ key: Buffer.from(key).toString("base64") }),
    signal: AbortSignal.timeout(5000),
  });
  assert.equal(res.status, 200, `etcd deleterange: HTTP ${res.status}`);
  return Number(((await res.json()) as { deleted?: string }).deleted ?? 0);
}

describe("objects removed without their finalizer running", { timeout: 180_000 }, () => {
  let env: OperatorEnv;

  before(async () => {
    env = await startEnv();
    await env.startOperator("op-hard-delete");
  });

  after(async () => {
    await env?.stop();
  });

  it("is deregistered from the Patronus API when it leaves the cache", async () => {
    await env.objects.create("sites", site("hard-deleted"));
    const ready = await waitFor("hard-deleted Ready", async () => {
      const s = await env.objects.get("sites", "hard-deleted");
      return condition(s, "Ready")?.status === "True" ? s : undefined;
    });
    assert.deepEqual(ready.metadata.finalizers, [SITE_FINALIZER]);
    assert.ok(env.sim.simulation.sites.get("hard-deleted"), "registered in the mesh");

    const deleted = await etcdDelete(etcdUrl(env), `/registry/${GROUP}/sites/${NS}/hard-deleted`);
    assert.equal(deleted, 1, "the Site's key was in etcd");
    await waitFor("hard-deleted gone from the cluster", async () =>
      (await env.objects.get("sites", "hard-deleted")) === undefined ? true : undefined,
    );

    await waitFor(
      "hard-deleted deregistered from the mesh",
      async () => (env.sim.simulation.sites.get("hard-deleted") === undefined ? true : undefined),
      20_000,
    );
  });
  it("a Policy is withdrawn from the Patronus API and its routes from the sites it held", async () => {
    await env.objects.create("sites", site("pol-hub", { hub: true, labels: { hd: "pol" } }));
    await env.objects.create("sites", site("pol-branch", { labels: { hd: "pol", role: "branch" } }));
    await env.objects.create("meshes", mesh("pol-mesh", "pol"));
    await waitFor("pol-mesh tunnels programmed", async () =>
      (env.sim.simulation.meshes.get("pol-mesh")?.length ?? 0) > 0 ? true : undefined,
    );
    await env.objects.create("policies", {
      apiVersion: API,
      kind: "Policy",
      metadata: { name: "hd-voice" },
      spec: {
        class: "hd-voice",
        match: { dscp: [46] },
        siteSelector: { matchLabels: { hd: "pol", role: "branch" } },
        sla: { maxLatencyMs: 500, maxJitterMs: 100, maxLossPercent: 5 },
        preferredLinks: ["mpls", "internet"],
      },
    });
    const applied = await waitFor("hd-voice Applied", async () => {
      const p = await env.objects.get("policies", "hd-voice");
      return condition(p, "Applied")?.status === "True" ? p : undefined;
    });
    assert.deepEqual(applied.metadata.finalizers, [POLICY_FINALIZER]);
    assert.ok(env.sim.simulation.policies.get("hd-voice"), "the policy is in the mesh");
    await waitFor("pol-branch routes hd-voice", async () =>
      routedClasses(env, "pol-branch").includes("hd-voice") ? true : undefined,
    );

    const deleted = await etcdDelete(etcdUrl(env), `/registry/${GROUP}/policies/${NS}/hd-voice`);
    assert.equal(deleted, 1, "the Policy's key was in etcd");
    await waitFor("hd-voice gone from the cluster", async () =>
      (await env.objects.get("policies", "hd-voice")) === undefined ? true : undefined,
    );
    await waitFor(
      "hd-voice withdrawn from the mesh",
      async () => (env.sim.simulation.policies.get("hd-voice") === undefined ? true : undefined),
      20_000,
    );
    await waitFor(
      "hd-voice routes withdrawn at pol-branch",
      async () => (routedClasses(env, "pol-branch").includes("hd-voice") ? undefined : true),
      20_000,
    );
  });

  it("a Mesh's tunnels are cleared from the Patronus API", async () => {
    await env.objects.create("sites", site("mesh-hub", { hub: true, labels: { hd: "mesh" } }));
    await env.objects.create("sites", site("mesh-branch", { labels: { hd: "mesh" } }));
    await env.objects.create("meshes", mesh("hd-mesh", "mesh"));
    // Ready over both Sites: a Mesh reconciled before its Sites registered is Ready with none.
    const ready = await waitFor("hd-mesh Ready over its 2 Sites", async () => {
      const m = await env.objects.get("meshes", "hd-mesh");
      return condition(m, "Ready")?.status === "True" && m.status?.sites === 2 ? m : undefined;
    });
    assert.deepEqual(ready.metadata.finalizers, [MESH_FINALIZER]);
    assert.ok((env.sim.simulation.meshes.get("hd-mesh")?.length ?? 0) > 0, "tunnels programmed");

    const deleted = await etcdDelete(etcdUrl(env), `/registry/${GROUP}/meshes/${NS}/hd-mesh`);
    assert.equal(deleted, 1, "the Mesh's key was in etcd");
    await waitFor("hd-mesh gone from the cluster", async () =>
      (await env.objects.get("meshes", "hd-mesh")) === undefined ? true : undefined,
    );
    await waitFor(
      "hd-mesh tunnels cleared in the mesh",
      async () => ((env.sim.simulation.meshes.get("hd-mesh")?.length ?? 0) === 0 ? true : undefined),
      20_000,
    );
  });
});

function mesh(name: string, label: string): object {
  return {
    apiVersion: API,
    kind: "Mesh",
    metadata: { name },
    spec: { topology: { type: "hub-spoke" }, siteSelector: { matchLabels: { hd: label } } },
  };
}

/** The traffic classes the simulator routes at a site. */
function routedClasses(env: OperatorEnv, siteName: string): string[] {
  return env.sim.simulation.routing.get(siteName)?.classes.map((c) => c.class) ?? [];
}
