/**
 * A Site can vanish without its finalizer having run: the apiserver checks finalizers on the
 * object it read before deleting, so a DELETE racing with the operator adding its finalizer
 * removes the object anyway (kubernetes/kubernetes#77988, #129584) — after the operator may
 * have registered it. One smoke repeat lost a deregistration this way. The race's outcome is
 * made deterministic here by removing the Site's key from etcd directly, which is what the
 * racing DELETE ends up doing: the operator sees a DELETED event for a Site that still carries
 * its finalizer, and must deregister it all the same.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { GROUP } from "../../../operator/api/v1alpha1/types.ts";
import { SITE_FINALIZER } from "../../../operator/controllers/site/controller.ts";
import { condition, NS, type OperatorEnv, site, startEnv, waitFor } from "./env.ts";

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

describe("Site removed without its finalizer running", { timeout: 120_000 }, () => {
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
});
