/**
 * Leader election with real replicas on the embedded control plane: exactly one leader, standbys
 * keep warm caches and do not reconcile, leadership moves within lease duration + retry period
 * when the leader is SIGKILLed, no change made during the gap is lost, and SIGTERM releases the
 * lease so the next replica takes over at once. Default timings (15 s / 10 s / 2 s).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CoordinationV1Api } from "@kubernetes/client-node";
import { condition, OPERATOR_NS, type OperatorEnv, scrape, site, startEnv, waitFor } from "./env.ts";
import type { OperatorProcess } from "./operator-process.ts";

const LEASE = "patronus-operator";
const LEASE_MS = 15_000;
const RETRY_MS = 2_000;

async function isLeader(op: OperatorProcess): Promise<boolean> {
  return (await scrape(op.metricsUrl)).sum("leader_election_master_status", { name: LEASE }) === 1;
}

describe("leader election across operator replicas", { timeout: 300_000 }, () => {
  let env: OperatorEnv;
  let a: OperatorProcess;
  let b: OperatorProcess;
  let c: OperatorProcess;

  const lease = async () =>
    (
      await env.admin
        .makeApiClient(CoordinationV1Api)
        .readNamespacedLease({ name: LEASE, namespace: OPERATOR_NS })
    ).spec;

  before(async () => {
    env = await startEnv();
  });

  after(async () => {
    await env?.stop();
  });

  it("elects exactly one leader; the standby keeps a warm cache and does not reconcile", async () => {
    a = await env.startOperator("op-a", { leaderElect: true });
    await waitFor("op-a leading", () => isLeader(a));
    b = await env.startOperator("op-b", { leaderElect: true });
    await waitFor(
      "op-b caches synced",
      async () => (await fetch(b.metricsUrl.replace("/metrics", "/readyz"))).status === 200,
    );
    await env.objects.create("sites", site("s-1"));
    await waitFor(
      "s-1 Ready",
      async () => condition(await env.objects.get("sites", "s-1"), "Ready")?.status === "True",
    );
    assert.equal(await isLeader(a), true);
    assert.equal(await isLeader(b), false);
    assert.equal((await lease())?.holderIdentity, "op-a");
    const standby = await scrape(b.metricsUrl);
    assert.equal(standby.sum("controller_runtime_reconcile_total"), 0, "a standby must not reconcile");
    assert.ok(
      standby.sum("patronus_operator_informer_objects", { resource: "sites" }) >= 1,
      "standby cache is warm",
    );
  });

  it("moves leadership within lease + 2 retry periods after SIGKILL, losing no change made meanwhile", async (t) => {
    const transitions = (await lease())?.leaseTransitions ?? 0;
    a.kill("SIGKILL");
    const killedAt = Date.now();
    await a.exited;
    // Changes while nobody leads: a new Site and a spec edit of an existing one.
    await env.objects.create("sites", site("s-2"));
    await env.objects.mergePatch("sites", "s-1", { spec: { region: "us" } });
    await waitFor("op-b leading", () => isLeader(b), LEASE_MS + 10_000, 100);
    const gap = Date.now() - killedAt;
    // As client-go, the standby judges expiry on its own clock from when it *observed* the last
    // renewal (up to one jittered retry period after it happened, and the leader renewed up to
    // one retry period before the kill), then checks once per retry period: lease + 2 × retry
    // (×1.2 jitter) is the bound, plus 1 s for process start-up of the takeover and polling.
    t.diagnostic(`leadership moved ${gap} ms after SIGKILL`);
    assert.ok(gap <= LEASE_MS + 2 * RETRY_MS * 1.2 + 1000, `leadership moved after ${gap} ms`);
    const l = await lease();
    assert.equal(l?.holderIdentity, "op-b");
    assert.equal(l?.leaseTransitions, transitions + 1);
    const s2 = await waitFor("s-2 Ready", async () => {
      const o = await env.objects.get("sites", "s-2");
      return condition(o, "Ready")?.status === "True" ? o : undefined;
    });
    assert.ok(s2.status.siteId);
    const s1 = await waitFor("s-1 edit synced", async () => {
      const o = await env.objects.get("sites", "s-1");
      return o?.status?.observedGeneration === o?.metadata.generation && o.metadata.generation === 2
        ? o
        : undefined;
    });
    assert.equal(condition(s1, "Ready")?.status, "True");
    const api = await fetch(`${env.sim.apiUrl}/sites/s-1`, {
      headers: { authorization: `Bearer ${env.sim.token}` },
    });
    const body = (await api.json()) as { revision: number; spec: { region: string } };
    assert.equal(body.spec.region, "us");
    assert.equal(body.revision, 2);
  });

  it("releases the lease on SIGTERM (exit 0) so the next replica takes over without waiting for expiry", async () => {
    c = await env.startOperator("op-c", { leaderElect: true });
    await waitFor(
      "op-c caches synced",
      async () => (await fetch(c.metricsUrl.replace("/metrics", "/readyz"))).status === 200,
    );
    assert.equal(await isLeader(c), false);
    const stoppedAt = Date.now();
    const exit = await b.stop();
    assert.equal(exit.code, 0, "clean shutdown exits 0");
    await waitFor("op-c leading", () => isLeader(c), LEASE_MS, 100);
    const gap = Date.now() - stoppedAt;
    assert.ok(gap < LEASE_MS / 2, `took ${gap} ms: the lease was not released`);
    assert.equal((await lease())?.holderIdentity, "op-c");
  });

  it("a leader cut off by a kube-apiserver restart exits 1 and, restarted like a pod, leads again", async () => {
    const d = await env.startOperator("op-d", { leaderElect: true, restartPolicy: "OnFailure" });
    await waitFor(
      "op-d caches synced",
      async () => (await fetch(d.metricsUrl.replace("/metrics", "/readyz"))).status === 200,
    );
    await c.stop();
    await waitFor("op-d leading", () => isLeader(d), LEASE_MS + 5000, 100);
    const first = d.process;
    // Down for longer than the 10 s renew deadline, whatever the machine's speed.
    await env.cluster.restartComponent("kube-apiserver", 12_000);
    const exit = await Promise.race([
      first.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("the leader did not exit")), 30_000),
      ),
    ]);
    assert.equal(exit.code, 1, "leadership lost → exit 1, as controller-runtime does");
    await waitFor(
      "op-d restarted and leading",
      async () => d.restarts >= 1 && (await isLeader(d).catch(() => false)),
      90_000,
      250,
    );
    await env.objects.create("sites", site("s-after-restart"));
    await waitFor(
      "s-after-restart Ready",
      async () => condition(await env.objects.get("sites", "s-after-restart"), "Ready")?.status === "True",
      30_000,
    );
  });
});
