/**
 * The writes every controller needs: status through the status subresource (merge-patch, only
 * when it changed) and finalizers (merge-patch guarded by resourceVersion, so a concurrent edit
 * makes the write fail with 409 rather than drop someone else's finalizer).
 */
import { isDeepStrictEqual } from "node:util";
import { type KubeObject, type ResourceRef, resourcePath } from "./resources.ts";
import type { RestClient } from "./rest-client.ts";

/**
 * Writes status if it differs from what the cache holds; returns whether it wrote. The status is
 * computed from the cached object, which can trail our own previous write; by default the patch
 * carries that object's resourceVersion, so a status built on a stale read fails with 409 and the
 * reconcile retries on a fresh cache instead of overwriting newer conditions. Writers whose status
 * does not depend on the previous one (Path telemetry) pass `guard: false`.
 */
export async function patchStatus<S extends object>(
  rest: RestClient,
  ref: ResourceRef,
  obj: KubeObject & { status?: unknown },
  status: S,
  options: { guard?: boolean } = {},
): Promise<boolean> {
  if (isDeepStrictEqual(stripUndefined(obj.status ?? {}), stripUndefined(status))) return false;
  const guard = options.guard ?? true;
  const patch =
    guard && obj.metadata.resourceVersion
      ? { metadata: { resourceVersion: obj.metadata.resourceVersion }, status }
      : { status };
  await rest.mergePatch(resourcePath(ref, obj.metadata.namespace, obj.metadata.name, "status"), patch);
  return true;
}

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return obj.metadata.finalizers?.includes(finalizer) ?? false;
}

export async function addFinalizer<T extends KubeObject>(
  rest: RestClient,
  ref: ResourceRef,
  obj: T,
  finalizer: string,
): Promise<T> {
  const finalizers = [...(obj.metadata.finalizers ?? []), finalizer];
  return rest.mergePatch<T>(resourcePath(ref, obj.metadata.namespace, obj.metadata.name), {
    metadata: { finalizers, resourceVersion: obj.metadata.resourceVersion },
  });
}

export async function removeFinalizer(
  rest: RestClient,
  ref: ResourceRef,
  obj: KubeObject,
  finalizer: string,
): Promise<void> {
  const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  await rest.mergePatch(resourcePath(ref, obj.metadata.namespace, obj.metadata.name), {
    metadata: { finalizers, resourceVersion: obj.metadata.resourceVersion },
  });
}

function stripUndefined(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v));
}
