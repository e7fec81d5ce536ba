/**
 * The informer on the real apiserver: initial list, watch events, a quiet watch kept open past
 * client-node's 30 s inactivity abort (research notes: 2.0.0 cut healthy watches every 30 s), and
 * survival of a kube-apiserver restart (backoff while it is down, re-list on 410 Gone or resume,
 * and no change missed). Runs in-process as the operator's ServiceAccount.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { type ClusterHandle, startCluster } from "../../../harness/cluster/index.ts";
import { installAccess, installCrds, referenceInstall } from "../../../harness/operators/install/index.ts";
import type { Site } from "../../../operator/api/v1alpha1/types.ts";
import { Informer } from "../../../operator/runtime/informer/informer.ts";
import { LABEL_INDEX, labelIndex } from "../../../operator/runtime/kube/label-selector.ts";
import { SITES } from "../../../operator/runtime/kube/resources.ts";
import { RestClient } from "../../../operator/runtime/kube/rest-client.ts";
import { createMetrics, type OperatorMetrics } from "../../../operator/runtime/metrics/registry.ts";
import { TokenBucket } from "../../../operator/runtime/ratelimit/token-bucket.ts";
import { NS, Objects, OPERATOR_NS, site, waitFor } from "./env.ts";

async function count(
  metrics: OperatorMetrics,
  metric: "informerRelists" | "informerWatchRestarts",
  reason?: string,
): Promise<number> {
  const values = (await metrics[metric].get()).values;
  return values
    .filter((v) => reason === undefined || v.labels.reason === reason)
    .reduce((n, v) => n + v.value, 0);
}

describe("informer on the embedded control plane", { timeout: 300_000 }, () => {
  let runDir: string;
  let cluster: ClusterHandle;
  let objects: Objects;
  let informer: Informer<Site>;
  let metrics: OperatorMetrics;
  const seen: string[] = [];

  before(async () => {
    runDir = await mkdtemp(join(tmpdir(), "informer-it-"));
    cluster = await startCluster({ runDir, earlyObjects: (await referenceInstall()).crds });
    await installCrds(cluster.kubeConfig(), await referenceInstall());
    await installAccess(cluster.kubeConfig(), await referenceInstall());
    const admin = cluster.kubeConfig();
    await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
    objects = new Objects(admin);
    await objects.create("sites", site("pre-1", { labels: { tier: "gold" } }));
    const kc = new KubeConfig();
    kc.loadFromFile(await cluster.serviceAccountKubeconfig(OPERATOR_NS, "patronus-operator"));
    metrics = createMetrics();
    const rest = new RestClient(kc, new TokenBucket(20, 30), metrics);
    informer = new Informer<Site>({
      rest,
      resource: SITES,
      namespace: NS,
      metrics,
      logger: pino({ level: "silent" }),
      indexers: { [LABEL_INDEX]: labelIndex },
      backoff: { initialMs: 200, maxMs: 2000 },
    });
    informer.addHandlers({
      add: (o) => seen.push(`add ${o.metadata.name}`),
      update: (_old, o) => seen.push(`update ${o.metadata.name}`),
      delete: (o) => seen.push(`delete ${o.metadata.name}`),
    });
    informer.start();
    await informer.waitForSync();
  });

  after(async () => {
    await informer?.stop();
    await cluster?.stop();
    if (runDir) await rm(runDir, { recursive: true, force: true });
  });

  it("lists, then watches adds, updates and deletes into an indexed cache", async () => {
    assert.deepEqual(seen, ["add pre-1"]);
    assert.equal(informer.store.byIndex(LABEL_INDEX, "tier=gold").length, 1);
    await objects.create("sites", site("w-1", { labels: { tier: "gold" } }));
    await objects.mergePatch("sites", "w-1", { metadata: { labels: { tier: "silver" } } });
    await objects.delete("sites", "w-1");
    await waitFor("watch events", async () => seen.includes("delete w-1"));
    assert.deepEqual(seen.slice(1), ["add w-1", "update w-1", "delete w-1"]);
    assert.equal(
      informer.store.byIndex(LABEL_INDEX, "tier=silver").length,
      0,
      "index follows updates and deletes",
    );
    assert.equal(await count(metrics, "informerRelists"), 1, "one initial list, no re-list");
  });

  it("keeps a quiet watch open past 60 s and still sees the next change", async (t) => {
    const restartsBefore = await count(metrics, "informerWatchRestarts");
    const rvBefore = informer.lastResourceVersion;
    await new Promise((r) => setTimeout(r, 65_000));
    const restarts = (await count(metrics, "informerWatchRestarts")) - restartsBefore;
    t.diagnostic(
      `watch restarts in 65 s of silence: ${restarts}; resourceVersion ${rvBefore} → ${informer.lastResourceVersion} (bookmarks)`,
    );
    assert.equal(restarts, 0, "a quiet, healthy watch was cut");
    const t0 = Date.now();
    await objects.create("sites", site("after-quiet"));
    await waitFor("event after the quiet period", async () => seen.includes("add after-quiet"), 5000, 20);
    assert.ok(Date.now() - t0 < 2000, "the watch was live, not reconnecting");
  });

  it("survives a kube-apiserver restart and misses no change", async (t) => {
    const listsBefore = await count(metrics, "informerRelists");
    const errorsBefore = await count(metrics, "informerWatchRestarts", "error");
    // Writes elsewhere advance etcd's revision past the informer's, so a resumed watch can be too old.
    const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
    for (let i = 0; i < 5; i++)
      await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: `bump-${i}` } } });
    await cluster.restartComponent("kube-apiserver", 3000);
    await objects.create("sites", site("after-restart"));
    await objects.delete("sites", "pre-1");
    await waitFor(
      "changes after the restart",
      async () =>
        informer.store.get(`${NS}/after-restart`) !== undefined && !informer.store.get(`${NS}/pre-1`),
      60_000,
    );
    const relists = (await count(metrics, "informerRelists")) - listsBefore;
    const gone = await count(metrics, "informerRelists", "gone");
    const errors = (await count(metrics, "informerWatchRestarts", "error")) - errorsBefore;
    t.diagnostic(
      `after the restart: ${relists} re-list(s) (${gone} for 410 Gone), ${errors} failed watch attempts while down`,
    );
    assert.ok(errors <= 15, `${errors} reconnect attempts in a few seconds: no backoff`);
    assert.ok(seen.includes("delete pre-1"), "the delete was delivered to handlers");
  });
});
