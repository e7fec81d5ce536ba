/**
 * The operator's CBOR writes (`--kube-api-content-type=application/cbor`) on real kube-apiservers:
 * with the CBORServingAndStorage gate (the embedded cluster's `apiserverFeatureGates` knob) a
 * status update and a create in CBOR land as their JSON would, a conflict still reads as a
 * Conflict, and the custom resources are stored in etcd as CBOR; without the gate the apiserver
 * refuses CBOR (406) and the client writes JSON from then on, once told.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CoreV1Api } from "@kubernetes/client-node";
import { freePort } from "../../../harness/cluster/embedded/ports.ts";
import { type ClusterHandle, startCluster } from "../../../harness/cluster/index.ts";
import { installAccess, installCrds, referenceInstall } from "../../../harness/operators/install/index.ts";
import { GROUP } from "../../../operator/api/v1alpha1/constants.ts";
import { updateStatus } from "../../../operator/runtime/kube/object-writes.ts";
import { resourcePath, SITES } from "../../../operator/runtime/kube/resources.ts";
import { KubeApiError, RestClient } from "../../../operator/runtime/kube/rest-client.ts";
import { NS, type Obj, Objects, site } from "./env.ts";

interface Env {
  runDir: string;
  cluster: ClusterHandle;
  objects: Objects;
  rest: RestClient;
  etcdPort: number;
  fallbacks: KubeApiError[];
}

async function startEnv(gates: string): Promise<Env> {
  const runDir = await mkdtemp(join(tmpdir(), "cbor-it-"));
  const etcdPort = await freePort();
  const cluster = await startCluster({
    runDir,
    knobs: { apiserverFeatureGates: gates, etcdPort },
    earlyObjects: (await referenceInstall()).crds,
  });
  await installCrds(cluster.kubeConfig(), await referenceInstall());
  await installAccess(cluster.kubeConfig(), await referenceInstall());
  const admin = cluster.kubeConfig();
  await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
  // As the admin: the wire format is under test here, not the operator's RBAC (it creates no Sites).
  const fallbacks: KubeApiError[] = [];
  const rest = new RestClient(admin, undefined, undefined, {
    wireFormat: "cbor",
    onWireFormatFallback: (err) => fallbacks.push(err),
  });
  return { runDir, cluster, objects: new Objects(admin), rest, etcdPort, fallbacks };
}

async function stopEnv(env: Env | undefined): Promise<void> {
  await env?.rest.close();
  await env?.cluster.stop();
  if (env) await rm(env.runDir, { recursive: true, force: true });
}

/** The first bytes of an object as etcd holds it, through etcd's JSON gateway. */
async function storedPrefix(etcdPort: number, key: string): Promise<Buffer> {
  const res = await fetch(`http://127.0.0.1:${etcdPort}/v3/kv/range`, {
    method: "POST",
    body: JSON.stringify({ key: Buffer.from(key).toString("base64") }),
  });
  const body = (await res.json()) as { kvs?: { value: string }[] };
  const value = body.kvs?.[0]?.value;
  assert.ok(value, `etcd holds ${key}`);
  return Buffer.from(value, "base64").subarray(0, 3);
}

function status(generation: number): Obj {
  return {
    phase: "Ready",
    siteId: "site-cbor-1",
    observedGeneration: generation,
    conditions: [
      {
        type: "Ready",
        status: "True",
        lastTransitionTime: "2026-11-27T07:00:00Z",
        reason: "Registered",
        message: "registered with the Patronus API",
        observedGeneration: generation,
      },
    ],
    unknownButOptional: undefined,
  };
}

describe("operator writes in CBOR", { timeout: 300_000 }, () => {
  describe("on an apiserver with CBORServingAndStorage", () => {
    let env: Env | undefined;
    before(async () => {
      env = await startEnv("CBORServingAndStorage=true");
    });
    after(() => stopEnv(env));

    it("updates status and creates objects as their JSON would, stored as CBOR", async () => {
      const e = env as Env;
      assert.deepEqual(e.fallbacks, []);
      const created = await e.objects.create("sites", site("cbor-a"));
      assert.equal(await updateStatus(e.rest, SITES, created, status(created.metadata.generation)), true);
      const read = await e.objects.get("sites", "cbor-a");
      const { unknownButOptional: _, ...expected } = status(created.metadata.generation);
      assert.deepEqual(read.status, expected);

      await e.rest.send("POST", resourcePath(SITES, NS), { body: site("cbor-b", { hub: true }) });
      const b = await e.objects.get("sites", "cbor-b");
      assert.equal(b.spec.hub, true);
      assert.deepEqual(b.spec.links, (site("cbor-b") as Obj).spec.links);

      const prefix = await storedPrefix(e.etcdPort, `/registry/${GROUP}/sites/${NS}/cbor-b`);
      assert.deepEqual([...prefix], [0xd9, 0xd9, 0xf7], "stored with the self-described CBOR tag");
    });

    it("reads a refusal answered in CBOR: a stale status write is a Conflict, a bad spec Invalid", async () => {
      const e = env as Env;
      const created = await e.objects.create("sites", site("cbor-c"));
      await updateStatus(e.rest, SITES, created, status(1));
      const stale = await updateStatus(e.rest, SITES, created, { ...status(1), phase: "Failed" }).catch(
        (err: unknown) => err,
      );
      assert.ok(stale instanceof KubeApiError, String(stale));
      assert.equal(stale.status, 409);
      assert.equal(stale.reason, "Conflict");
      assert.match(stale.message, /modified/);

      const bad = { ...(site("Not_A_Name") as Obj) };
      const invalid = await e.rest.send("POST", resourcePath(SITES, NS), { body: bad }).catch((err) => err);
      assert.ok(invalid instanceof KubeApiError);
      assert.equal(invalid.status, 422);
      assert.equal(invalid.reason, "Invalid");
    });
  });

  describe("on an apiserver without it", () => {
    let env: Env | undefined;
    before(async () => {
      env = await startEnv("");
    });
    after(() => stopEnv(env));

    it("refuses CBOR; the client writes JSON from then on, told once, and etcd holds JSON", async () => {
      const e = env as Env;
      await e.rest.send("POST", resourcePath(SITES, NS), { body: site("cbor-d") });
      const created = await e.objects.get("sites", "cbor-d");
      assert.equal(created?.metadata.name, "cbor-d", "the refused write went again as JSON");
      assert.equal(await updateStatus(e.rest, SITES, created, status(1)), true);
      assert.equal((await e.objects.get("sites", "cbor-d")).status.phase, "Ready");
      assert.deepEqual(
        e.fallbacks.map((f) => f.status),
        [406],
        "one fallback, on the first write only",
      );
      const prefix = await storedPrefix(e.etcdPort, `/registry/${GROUP}/sites/${NS}/cbor-d`);
      assert.equal(prefix.toString(), '{"a', "stored as JSON");
    });
  });
});
