/**
 * The harness's watch on a real apiserver: objects seen once and then deleted while the watch is
 * down are reported DELETED on the re-list (an informer's Replace), so a deletion is never
 * silently missed by the latency/coverage accounting.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { type ClusterHandle, startCluster } from "../../../harness/cluster/index.ts";
import { KubeObjects, statusCodeOf } from "../../../harness/load/kube/client.ts";
import {
  ResourceWatch,
  type WatchEventType,
  type WatchHandler,
} from "../../../harness/measure/watch/resource-watch.ts";
import { installCrds, referenceInstall } from "../../../harness/operators/install/index.ts";
import { ensureNamespace } from "../../../harness/run/setup.ts";
import { GROUP, SITE, VERSION } from "../../../operator/api/v1alpha1/constants.ts";

const spec = {
  region: "r1",
  hub: false,
  links: [{ name: "mpls-0", type: "mpls", bandwidthMbps: 100, cost: 1 }],
};

let cluster: ClusterHandle;

/** A watch of the Sites in a fresh namespace ns. */
async function siteWatch(ns: string, onEvent: WatchHandler) {
  const kc = cluster.kubeConfig();
  const objects = new KubeObjects(kc);
  await ensureNamespace(objects, ns);
  const path = `/apis/${GROUP}/${VERSION}/namespaces/${ns}/${SITE.plural}`;
  return {
    objects,
    watch: new ResourceWatch({ objects, path, kind: SITE.kind, namespace: ns, onEvent }),
  };
}
before(async () => {
  cluster = await startCluster({
    runDir: mkdtempSync(join(tmpdir(), "watch-test-")),
    earlyObjects: (await referenceInstall()).crds,
  });
  await installCrds(cluster.kubeConfig(), await referenceInstall());
});
after(async () => {
  await cluster?.stop();
});

it("reports objects deleted while the watch was down when it re-lists", { timeout: 90_000 }, async () => {
  const ns = "watch-test";
  const seen: Array<[WatchEventType, string]> = [];
  const { objects, watch } = await siteWatch(ns, (type, obj) => seen.push([type, obj.metadata?.name ?? "?"]));
  await objects.create(SITE.kind, ns, "a", spec);
  await objects.create(SITE.kind, ns, "b", spec);
  await watch.start();
  assert.deepEqual(seen.map(([t, n]) => `${t}:${n}`).sort(), ["ADDED:a", "ADDED:b"]);
  watch.stop();
  await objects.delete(SITE.kind, ns, "a"); // no operator runs here, so no finalizer holds it
  const deadline = Date.now() + 30_000;
  while ((await objects.list(SITE.kind, ns)).items.some((o) => o.metadata?.name === "a")) {
    assert.ok(Date.now() < deadline, "site a was not deleted");
    await new Promise((r) => setTimeout(r, 200));
  }
  seen.length = 0;
  await watch.resync();
  assert.deepEqual(seen, [
    ["ADDED", "b"],
    ["DELETED", "a"],
  ]);
  await objects.close();
});

it("delivers creates, spec changes and deletes made after it started, in order (writes over KubeObjects' undici path)", {
  timeout: 60_000,
}, async () => {
  const ns = "watch-live";
  const seen: string[] = [];
  let changed: () => void = () => {};
  const { objects, watch } = await siteWatch(ns, (type, obj) => {
    const cost = (obj.spec?.links as Array<{ cost: number }> | undefined)?.[0]?.cost;
    seen.push(`${type}:${obj.metadata?.name}:${cost}`);
    changed();
  });
  const until = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`saw only ${seen.join(" ")}`)), 30_000);
      changed = () => {
        if (seen.length < n) return;
        clearTimeout(timer);
        resolve();
      };
      changed();
    });
  try {
    await watch.start();
    const created = await objects.create(SITE.kind, ns, "c", spec, { "bench.patronus.io/run": "t" });
    assert.equal(created.metadata?.generation, 1);
    assert.equal(created.metadata?.labels?.["bench.patronus.io/run"], "t");
    await until(1);
    await assert.rejects(objects.create(SITE.kind, ns, "c", spec), (err) => statusCodeOf(err) === 409);
    const patched = await objects.patchSpec(SITE.kind, ns, "c", {
      ...spec,
      links: [{ ...spec.links[0], cost: 7 }],
    });
    assert.equal(patched.metadata?.generation, 2);
    await until(2);
    await objects.delete(SITE.kind, ns, "c");
    await until(3);
    assert.deepEqual(seen, ["ADDED:c:1", "MODIFIED:c:7", "DELETED:c:7"]);
    assert.equal(watch.restarts, 0, "the watch stayed open");
    await assert.rejects(objects.delete(SITE.kind, ns, "c"), (err) => statusCodeOf(err) === 404);
  } finally {
    watch.stop();
    await objects.close();
  }
});
