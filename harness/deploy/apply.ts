/**
 * Puts the generated manifests into a cluster (server-side apply, idempotent) and waits until
 * both Deployments are Available — the in-cluster half of the kind provider, usable against any
 * cluster the harness has an admin kubeconfig for.
 */
import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1Deployment,
  type V1Pod,
} from "@kubernetes/client-node";
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
      const pods = await podStates(kc, namespace).catch(() => "");
      throw new HarnessError(`Deployments not Available within ${timeoutMs / 1000}s: ${last}${pods}`, {
        fix: `kubectl -n ${namespace} describe pods (image loaded? ErrImageNeverPull means \`kind load\` was skipped)`,
      });
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Why pods are not ready, one line each: what a user would otherwise dig out with `describe`. */
async function podStates(kc: KubeConfig, namespace: string): Promise<string> {
  const { items } = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace });
  const lines = items.filter((p) => !podReady(p)).map(podState);
  return lines.length ? `\n  pods not Ready:\n${lines.map((l) => `    ${l}`).join("\n")}` : "";
}

function podReady(p: V1Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

function podState(p: V1Pod): string {
  const containers = (p.status?.containerStatuses ?? []).map((c) => {
    const waiting = c.state?.waiting;
    const ended = c.lastState?.terminated;
    const why = waiting
      ? `${waiting.reason ?? "waiting"}${waiting.message ? `: ${waiting.message}` : ""}`
      : c.state?.running
        ? "running, not ready"
        : (c.state?.terminated?.reason ?? "terminated");
    const last = ended ? `; last exit ${ended.exitCode}${ended.reason ? ` (${ended.reason})` : ""}` : "";
    return `${c.name} ${why}, ${c.restartCount} restarts${last}`;
  });
  return `${p.metadata?.name}: ${p.status?.phase ?? "?"}${containers.length ? ` — ${containers.join("; ")}` : ""}`;
}
