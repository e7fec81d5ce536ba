/**
 * The operator's controllers end to end on the real embedded control plane with the real mesh
 * simulator: one operator process (ServiceAccount credentials), driven as a user would (kubectl
 * equivalent CR writes), observed through the apiserver, the Patronus API and the operator's /metrics.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { GROUP, VERSION } from "../../../operator/api/v1alpha1/types.ts";
import { requires } from "../../prerequisites/requires.ts";
import { condition, type OperatorEnv, scrape, site, startEnv, waitFor } from "./env.ts";
import type { OperatorProcess } from "./operator-process.ts";

const API = `${GROUP}/${VERSION}`;

// biome-ignore lint/suspicious/noExplicitAny: test reads of Patronus API JSON
async function patronus(env: OperatorEnv, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${env.sim.apiUrl}${path}`, {
    headers: { authorization: `Bearer ${env.sim.token}` },
  });
  return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
}

describe("operator controllers on the embedded control plane", { timeout: 600_000 }, () => {
  let env: OperatorEnv;
  let op: OperatorProcess;

  before(async () => {
    env = await startEnv();
    op = await env.startOperator("op-1");
  });

  after(async () => {
    await env?.stop();
  });

  it("registers a Site: Registered and Ready, siteId and phase set", async () => {
    await env.objects.create("sites", site("hub-1", { hub: true, labels: { mesh: "m1" } }));
    const s = await waitFor("hub-1 Ready", async () => {
      const o = await env.objects.get("sites", "hub-1");
      return condition(o, "Ready")?.status === "True" ? o : undefined;
    });
    assert.equal(condition(s, "Registered")?.status, "True");
    assert.equal(condition(s, "Registered")?.reason, "Registered");
    assert.equal(s.status.phase, "Ready");
    assert.equal(s.status.observedGeneration, s.metadata.generation);
    assert.ok(s.status.siteId);
    assert.deepEqual(s.metadata.finalizers, ["sdwan.patronus.io/deregister"]);
    // The apiserver names field managers after the User-Agent: the operator owns what it wrote.
    const managed = (s.metadata.managedFields as { manager: string; subresource?: string }[]).map(
      (f) => `${f.manager}${f.subresource ? `/${f.subresource}` : ""}`,
    );
    assert.ok(managed.includes("patronus-operator/status"), managed.join(", "));
    assert.ok(managed.includes("patronus-operator"), `the finalizer: ${managed.join(", ")}`);
    const api = await patronus(env, "/sites/hub-1");
    assert.equal(api.status, 200);
    assert.equal(api.body.id, s.status.siteId);
  });

  it("deletes a Site: the finalizer deregisters it and the object goes", async () => {
    await env.objects.create("sites", site("temp-1"));
    await waitFor("temp-1 registered", async () => (await patronus(env, "/sites/temp-1")).status === 200);
    await env.objects.delete("sites", "temp-1");
    await waitFor(
      "temp-1 gone from the apiserver",
      async () => (await env.objects.get("sites", "temp-1")) === undefined,
    );
    assert.equal((await patronus(env, "/sites/temp-1")).status, 404);
  });
  it("a Mesh creates owned Paths for its tunnels and programs them into the API", async () => {
    await env.objects.create("sites", site("branch-1", { labels: { mesh: "m1", role: "branch" } }));
    await env.objects.create("sites", site("branch-2", { labels: { mesh: "m1", role: "branch" } }));
    const mesh = await env.objects.create("meshes", {
      apiVersion: API,
      kind: "Mesh",
      metadata: { name: "m1" },
      spec: { topology: { type: "hub-spoke" }, siteSelector: { matchLabels: { mesh: "m1" } } },
    });
    const paths = await waitFor("4 Paths of m1", async () => {
      const l = await env.objects.list("paths", "sdwan.patronus.io/mesh=m1");
      return l.length === 4 ? l : undefined;
    });
    assert.deepEqual(paths.map((p) => p.metadata.name).sort(), [
      "branch-1.hub-1.inet0.inet0",
      "branch-1.hub-1.mpls0.mpls0",
      "branch-2.hub-1.inet0.inet0",
      "branch-2.hub-1.mpls0.mpls0",
    ]);
    for (const p of paths) {
      assert.deepEqual(p.metadata.ownerReferences, [
        {
          apiVersion: API,
          kind: "Mesh",
          name: "m1",
          uid: mesh.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    const programmed = await waitFor("tunnels programmed", async () => {
      const r = await patronus(env, "/meshes/m1/tunnels");
      return r.status === 200 && r.body.tunnels.length === 4 ? r.body.tunnels : undefined;
    });
    assert.equal(programmed.length, 4);
    const m = await waitFor("m1 Ready", async () => {
      const o = await env.objects.get("meshes", "m1");
      return condition(o, "Ready")?.status === "True" && o.status.sites === 3 ? o : undefined;
    });
    assert.equal(m.status.paths, 4);
  });

  it("telemetry reaches Path status and the Mesh's healthy count", async () => {
    const paths = await waitFor(
      "all Paths Up with telemetry",
      async () => {
        const l = await env.objects.list("paths", "sdwan.patronus.io/mesh=m1");
        return l.length === 4 && l.every((p) => p.status?.state === "Up" && p.status.lastTelemetryAt)
          ? l
          : undefined;
      },
      30_000,
    );
    for (const p of paths) {
      assert.ok(p.status.latencyMs > 0, `${p.metadata.name} latency`);
      assert.equal(condition(p, "Healthy")?.status, "True");
      assert.equal(condition(p, "Healthy")?.reason, "TunnelUp");
    }
    await waitFor(
      "m1 healthyPaths 4",
      async () => (await env.objects.get("meshes", "m1"))?.status?.healthyPaths === 4,
    );
    // Coalescing: a small change (within tolerance) streams new samples but costs no status write.
    const before = await scrape(op.metricsUrl);
    const fault = await env.sim.faults.degrade({
      target: { kind: "link", site: "branch-2", link: "inet0" },
      addLatencyMs: 2,
    });
    try {
      const after = await waitFor("samples for the small change", async () => {
        const m = await scrape(op.metricsUrl);
        return m.sum("patronus_path_status_skipped_total") > before.sum("patronus_path_status_skipped_total")
          ? m
          : undefined;
      });
      assert.ok(
        after.sum("patronus_telemetry_samples_total") > before.sum("patronus_telemetry_samples_total"),
      );
      assert.equal(
        after.sum("patronus_path_status_writes_total"),
        before.sum("patronus_path_status_writes_total"),
        "a within-tolerance change must not be written",
      );
    } finally {
      await env.sim.faults.clear(fault.id);
    }
  });

  it("a Site deleted and re-created under the same name gets its Paths back, with status", async () => {
    // The same tunnel ids come back: the re-programmed tunnels' telemetry must not be dropped with
    // the old Paths, and the old Paths' deletes must not keep the new ones from being created.
    await env.objects.delete("sites", "branch-2");
    await waitFor("branch-2 gone", async () => (await env.objects.get("sites", "branch-2")) === undefined);
    await env.objects.create("sites", site("branch-2", { labels: { mesh: "m1", role: "branch" } }));
    const paths = await waitFor(
      "branch-2's Paths back, Up with telemetry",
      async () => {
        const l = await env.objects.list("paths", "sdwan.patronus.io/mesh=m1");
        const mine = l.filter((p) => p.spec.siteA === "branch-2" || p.spec.siteB === "branch-2");
        return l.length === 4 && mine.length === 2 && mine.every((p) => p.status?.state === "Up")
          ? mine
          : undefined;
      },
      30_000,
    );
    assert.deepEqual(paths.map((p) => p.metadata.name).sort(), [
      "branch-2.hub-1.inet0.inet0",
      "branch-2.hub-1.mpls0.mpls0",
    ]);
    await waitFor(
      "m1 healthyPaths 4 again",
      async () => (await env.objects.get("meshes", "m1"))?.status?.healthyPaths === 4,
    );
  });

  it("applies a Policy: Accepted, then Applied when the API reports convergence; routes pushed", async () => {
    await env.objects.create("policies", {
      apiVersion: API,
      kind: "Policy",
      metadata: { name: "voice" },
      spec: {
        class: "voice",
        match: { dscp: [46] },
        siteSelector: { matchLabels: { role: "branch" } },
        sla: { maxLatencyMs: 500, maxJitterMs: 100, maxLossPercent: 5 },
        preferredLinks: ["mpls", "internet"],
      },
    });
    const p = await waitFor("voice Applied", async () => {
      const o = await env.objects.get("policies", "voice");
      return condition(o, "Applied")?.status === "True" ? o : undefined;
    });
    assert.equal(condition(p, "Accepted")?.status, "True");
    assert.equal(condition(p, "Applied")?.reason, "Converged");
    assert.equal(p.status.sites, 2);
    assert.ok(p.status.lastOperationId);
    assert.ok(p.status.appliedAt);
    const op1 = await patronus(env, `/operations/${p.status.lastOperationId}`);
    assert.equal(op1.body.convergedAt, p.status.appliedAt);
    const routing = await waitFor("branch-1 routing", async () => {
      const r = await patronus(env, "/sites/branch-1/routing");
      return r.body.classes?.length ? r.body : undefined;
    });
    assert.equal(routing.classes[0].class, "voice");
    assert.equal(routing.classes[0].activeTunnel, "branch-1.hub-1.mpls0.mpls0");
    assert.deepEqual(routing.classes[0].backups, ["branch-1.hub-1.inet0.inet0"]);
  });

  it("an SLA violation of the active tunnel pushes a reroute to the next preferred link and confirms it", async () => {
    await env.sim.faults.fail({ kind: "link", site: "branch-1", link: "mpls0" });
    try {
      const p = await waitFor("a confirmed reroute", async () => {
        const o = await env.objects.get("policies", "voice");
        return (o?.status?.reroutes ?? 0) >= 1 ? o : undefined;
      });
      assert.equal(p.status.reroutes, 1);
      const routing = await patronus(env, "/sites/branch-1/routing");
      assert.equal(routing.body.classes[0].activeTunnel, "branch-1.hub-1.inet0.inet0");
      // branch-2 is unaffected.
      assert.equal(
        (await patronus(env, "/sites/branch-2/routing")).body.classes[0].activeTunnel,
        "branch-2.hub-1.mpls0.mpls0",
      );
      const down = await waitFor("the failed Path reported Down", async () => {
        const o = await env.objects.get("paths", "branch-1.hub-1.mpls0.mpls0");
        return o?.status?.state === "Down" ? o : undefined;
      });
      assert.equal(condition(down, "Healthy")?.reason, "TunnelDown");
      const events = await waitFor("Rerouted and RerouteConverged Events", async () => {
        const l = await env.events();
        const reasons = new Set(l.map((e) => e.reason));
        return reasons.has("Rerouted") && reasons.has("RerouteConverged") ? l : undefined;
      });
      const rerouted = events.find((e) => e.reason === "Rerouted");
      assert.match(rerouted.note, /branch-1\.hub-1\.mpls0\.mpls0 → branch-1\.hub-1\.inet0\.inet0/);
      assert.equal(rerouted.regarding.name, "voice");
    } finally {
      await env.sim.faults.restore({ kind: "link", site: "branch-1", link: "mpls0" });
    }
  });

  it("an invalid or conflicting spec gets a condition with a reason, and no hot loop", async () => {
    await env.objects.create("meshes", {
      apiVersion: API,
      kind: "Mesh",
      metadata: { name: "too-small" },
      spec: { topology: { type: "hub-spoke" }, siteSelector: { matchLabels: { mesh: "m1" } }, maxTunnels: 1 },
    });
    await env.objects.create("policies", {
      apiVersion: API,
      kind: "Policy",
      metadata: { name: "voice-copy" },
      spec: {
        class: "voice",
        match: { applications: ["sip"] },
        sla: { maxLatencyMs: 100, maxJitterMs: 10, maxLossPercent: 1 },
        preferredLinks: ["internet"],
      },
    });
    const mesh = await waitFor("too-small not Ready", async () => {
      const o = await env.objects.get("meshes", "too-small");
      return condition(o, "Ready")?.status === "False" ? o : undefined;
    });
    assert.equal(condition(mesh, "Ready")?.reason, "TunnelBudgetExceeded");
    assert.match(condition(mesh, "Ready")?.message ?? "", /4 tunnels, over spec.maxTunnels 1/);
    const pol = await waitFor("voice-copy not Accepted", async () => {
      const o = await env.objects.get("policies", "voice-copy");
      return condition(o, "Accepted")?.status === "False" ? o : undefined;
    });
    assert.equal(condition(pol, "Accepted")?.reason, "ClassConflict");
    assert.match(condition(pol, "Accepted")?.message ?? "", /already claimed by Policy voice/);
    assert.equal((await env.objects.list("paths", "sdwan.patronus.io/mesh=too-small")).length, 0);
    const before = await scrape(op.metricsUrl);
    await new Promise((r) => setTimeout(r, 3000));
    const after = await scrape(op.metricsUrl);
    for (const controller of ["mesh", "policy"]) {
      const d =
        after.sum("controller_runtime_reconcile_total", { controller }) -
        before.sum("controller_runtime_reconcile_total", { controller });
      assert.ok(d <= 6, `${controller} reconciled ${d} times in 3 s with nothing changing: a hot loop`);
      assert.equal(
        after.sum("controller_runtime_reconcile_errors_total", { controller }),
        before.sum("controller_runtime_reconcile_errors_total", { controller }),
      );
    }
    // Deleting the first voice Policy hands the class to the copy.
    await env.objects.delete("meshes", "too-small");
  });

  it("deleting a Policy removes it from the API and hands its class to the next Policy", async () => {
    await env.objects.delete("policies", "voice");
    await waitFor("voice gone", async () => (await env.objects.get("policies", "voice")) === undefined);
    assert.equal((await patronus(env, "/policies/voice")).status, 404);
    const copy = await waitFor("voice-copy Applied", async () => {
      const o = await env.objects.get("policies", "voice-copy");
      return condition(o, "Applied")?.status === "True" ? o : undefined;
    });
    assert.equal(condition(copy, "Accepted")?.status, "True", JSON.stringify(copy.status));
    assert.equal(copy.status.sites, 3, "an absent siteSelector selects every registered Site");
    const routing = await waitFor("branch-2 routed by voice-copy (internet preferred)", async () => {
      const r = await patronus(env, "/sites/branch-2/routing");
      return r.body.classes?.[0]?.activeTunnel === "branch-2.hub-1.inet0.inet0" ? r.body : undefined;
    });
    assert.equal(routing.classes.length, 1);
  });

  it("deleting a Mesh cascades its Paths through the garbage collector and clears its tunnels", async () => {
    await env.objects.delete("meshes", "m1");
    await waitFor("m1 gone", async () => (await env.objects.get("meshes", "m1")) === undefined);
    try {
      await waitFor(
        "m1 Paths garbage-collected",
        async () => (await env.objects.list("paths", "sdwan.patronus.io/mesh=m1")).length === 0,
        90_000,
        1000,
      );
    } catch (err) {
      const left = await env.objects.list("paths", "sdwan.patronus.io/mesh=m1");
      throw new Error(`${String(err)}; left: ${JSON.stringify(left.map((p) => p.metadata))}`);
    }
    const r = await patronus(env, "/meshes/m1/tunnels");
    assert.ok(
      r.status === 404 || r.body.tunnels.length === 0,
      `tunnels still programmed: ${JSON.stringify(r.body)}`,
    );
  });

  it(
    "serves /metrics that promtool accepts, named as controller-runtime's",
    requires("promtool"),
    async () => {
      const m = await scrape(op.metricsUrl);
      for (const name of [
        "controller_runtime_reconcile_total",
        "controller_runtime_reconcile_errors_total",
        "controller_runtime_reconcile_time_seconds_bucket",
        "workqueue_depth",
        "workqueue_adds_total",
        "workqueue_queue_duration_seconds_bucket",
        "workqueue_work_duration_seconds_bucket",
        "workqueue_retries_total",
        "rest_client_requests_total",
        "rest_client_request_duration_seconds_bucket",
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "nodejs_eventloop_lag_p99_seconds",
        "patronus_client_requests_total",
      ]) {
        assert.match(m.text, new RegExp(`^${name}[{ ]`, "m"), `${name} missing`);
      }
      assert.ok(m.sum("controller_runtime_reconcile_total", { controller: "site" }) > 0);
      const child = execFile("promtool", ["check", "metrics"]);
      const output = new Promise<{ code: number | null; out: string }>((resolve) => {
        let out = "";
        child.stdout?.on("data", (d) => (out += d));
        child.stderr?.on("data", (d) => (out += d));
        child.on("close", (code) => resolve({ code, out }));
      });
      child.stdin?.end(m.text);
      const { code, out } = await output;
      assert.equal(code, 0, `promtool check metrics failed:\n${out}`);
      const health = await fetch(op.metricsUrl.replace("/metrics", "/readyz"));
      assert.equal(health.status, 200);
    },
  );

  it("deletes a Policy that held a site the API no longer has (its routes are gone with it)", async () => {
    await env.objects.create("sites", site("orphan-1", { labels: { role: "orphan" } }));
    await waitFor("orphan-1 Ready", async () => {
      const o = await env.objects.get("sites", "orphan-1");
      return condition(o, "Ready")?.status === "True";
    });
    await env.objects.create("policies", {
      apiVersion: API,
      kind: "Policy",
      metadata: { name: "orphan-bulk" },
      spec: {
        class: "bulk",
        match: { dscp: [10] },
        siteSelector: { matchLabels: { role: "orphan" } },
        sla: { maxLatencyMs: 500, maxJitterMs: 100, maxLossPercent: 5 },
        preferredLinks: ["internet"],
      },
    });
    await waitFor("orphan-bulk Applied", async () => {
      const o = await env.objects.get("policies", "orphan-bulk");
      return condition(o, "Applied")?.status === "True";
    });
    // The mesh loses the site behind the operator's back (as when a Site is deleted while a
    // Policy's apply is in flight): withdrawing the policy's routes there answers 404.
    const gone = await fetch(`${env.sim.apiUrl}/sites/orphan-1`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${env.sim.token}` },
    });
    assert.equal(gone.status, 204);
    await env.objects.delete("policies", "orphan-bulk");
    await waitFor(
      "orphan-bulk gone (finalizer done)",
      async () => (await env.objects.get("policies", "orphan-bulk")) === undefined,
    );
    assert.equal((await patronus(env, "/policies/orphan-bulk")).status, 404);
  });
});
