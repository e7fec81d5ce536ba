/**
 * Applies YAML manifests with server-side apply (idempotent, and the same call validates with a
 * server-side dry run), and waits for CRDs to be Established.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  loadYaml,
  PatchStrategy,
} from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { HarnessError } from "../errors.ts";

export const FIELD_MANAGER = "patronus-bench";

export async function readManifests(paths: readonly string[]): Promise<KubernetesObject[]> {
  const out: KubernetesObject[] = [];
  for (const path of paths) {
    const text = await readFile(path, "utf8");
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new HarnessError(`${path}: invalid YAML: ${doc.errors[0]?.message}`);
      const obj = doc.toJS() as KubernetesObject | null;
      if (!obj) continue;
      if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) {
        throw new HarnessError(`${path}: a document lacks apiVersion, kind or metadata.name`);
      }
      out.push(obj);
    }
  }
  return out;
}

export async function yamlFilesIn(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".yaml") || n.endsWith(".yml")).sort();
  return names.map((n) => join(dir, n));
}

export async function applyObjects(
  kc: KubeConfig,
  objects: readonly KubernetesObject[],
  options: { dryRun?: boolean } = {},
): Promise<KubernetesObject[]> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const applied: KubernetesObject[] = [];
  for (const obj of objects) {
    // The client serializes through its typed models, which only know `enum`, `default` and
    // `x-kubernetes-*` by their renamed properties: a plain object would silently lose them
    // (CRD validation rules, defaults). Deserialize into the model first — JSON is YAML.
    const typed = loadYaml<KubernetesObject>(JSON.stringify(obj));
    try {
      applied.push(
        await api.patch(
          typed,
          undefined,
          options.dryRun ? "All" : undefined,
          FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        ),
      );
    } catch (err) {
      const body = (err as { body?: unknown }).body;
      const detail = typeof body === "string" ? body : JSON.stringify(body ?? (err as Error).message);
      throw new HarnessError(`applying ${obj.kind} ${obj.metadata?.name} failed: ${detail.slice(0, 600)}`);
    }
  }
  return applied;
}

export async function waitCrdsEstablished(
  kc: KubeConfig,
  names: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const deadline = performance.now() + timeoutMs;
  const pending = new Set(names);
  const objects = kc.makeApiClient(CustomObjectsApi);
  while (pending.size > 0) {
    for (const name of [...pending]) {
      const crd = await api.readCustomResourceDefinition({ name });
      const ok = crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True");
      if (!ok) continue;
      // Established is not enough: until the resource's watch cache is initialized, requests
      // get 429 "storage is (re)initializing". A served LIST means clients can start now.
      const version = crd.spec.versions.find((v) => v.storage)?.name ?? crd.spec.versions[0]?.name;
      try {
        await objects.listClusterCustomObject({
          group: crd.spec.group,
          version: version ?? "v1",
          plural: crd.spec.names.plural,
          limit: 1,
        });
        pending.delete(name);
      } catch (err) {
        if ((err as { code?: number }).code !== 429) throw err;
      }
    }
    if (pending.size === 0) break;
    if (performance.now() > deadline) {
      throw new HarnessError(`CRDs not Established within ${timeoutMs / 1000}s: ${[...pending].join(", ")}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
