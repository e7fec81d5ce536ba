/**
 * The operator's controllers end to end on the real embedded control plane with the real mesh
 * simulator: one operator process (ServiceAccount credentials), driven as a user would (kubectl
 * equivalent CR writes), observed through the apiserver, the Patronus API and the operator's /metrics.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { GROUP, VERSION } from "../../../operator/api/v1alpha1/types.ts";
import type { OperatorProcess } from "../../../operator/index.ts";
import { condition, type OperatorEnv, scrape, site, startEnv, waitFor } from "./env.ts";

const run = promisify(execFile);
const API = `${GROUP}/${VERSION}`;

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
});
