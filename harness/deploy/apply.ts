/**
 * Puts the generated manifests into a cluster (server-side apply, idempotent) and waits until
 * both Deployments are Available — the in-cluster half of the kind provider, usable against any
 * cluster the harness has an admin kubeconfig for.
 */
import { AppsV1Api, type KubeConfig, type V1Deployment } from "@kubernetes/client-node";
import { applyObjects } from "../cluster/manifests.ts";
import { HarnessError } from "../errors.ts";
import { type DeployOptionsInput, generateManifests, type Manifests } from "./index.ts";

export async function deployWorkloads(
  kc: KubeConfig,
  input: DeployOptionsInput,
  options: { timeoutMs?: number; log?: (line: string) => void } = {},
): Promise<Manifests> {
  const manifests = await generateManifests(input);
  await applyObjects(kc, manifests.objects);
  const names = manifests.objects.filter((o) => o.kind === "Deployment").map((o) => o.metadata?.name ?? "");
  options.log?.(`deploy: applied ${manifests.objects.length} objects; waiting for ${names.join(", ")}`);
  await waitAvailable(kc, manifests.options.namespace, names, options.timeoutMs ?? 180_000);
  return manifests;
}

function available(d: V1Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  return (
    (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
    (d.status?.updatedReplicas ?? 0) === want &&
    (d.status?.availableReplicas ?? 0) === want
  );
}

export async function waitAvailable(
  kc: KubeConfig,
  namespace: string,
  names: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const apps = kc.makeApiClient(AppsV1Api);
  const deadline = performance.now() + timeoutMs;
  let last = "";
  for (;;) {
    const pending: string[] = [];
    for (const name of names) {
      const d = await apps.readNamespacedDeployment({ name, namespace });
      if (!available(d)) {
        pending.push(name);
        const c = d.status?.conditions?.find((x) => x.type === "Progressing" || x.type === "ReplicaFailure");
        last = `${name}: ${d.status?.availableReplicas ?? 0}/${d.spec?.replicas ?? 1} available${c?.message ? ` (${c.message})` : ""}`;
      }
    }
    if (pending.length === 0) return;
    if (performance.now() > deadline) {
      throw new HarnessError(`Deployments not Available within ${timeoutMs / 1000}s: ${last}`, {
        fix: `kubectl -n ${namespace} describe pods (image loaded? ErrImageNeverPull means \`kind load\` was skipped)`,
      });
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
