/** Where each kind the operator touches lives on the apiserver. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

export const GROUP = "sdwan.patronus.io";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;

export const SITES: ResourceRef = { group: GROUP, version: VERSION, plural: "sites", kind: "Site" };
export const MESHES: ResourceRef = { group: GROUP, version: VERSION, plural: "meshes", kind: "Mesh" };
export const PATHS: ResourceRef = { group: GROUP, version: VERSION, plural: "paths", kind: "Path" };
export const POLICIES: ResourceRef = { group: GROUP, version: VERSION, plural: "policies", kind: "Policy" };
export const LEASES: ResourceRef = {
  group: "coordination.k8s.io",
  version: "v1",
  plural: "leases",
  kind: "Lease",
};
export const EVENTS: ResourceRef = { group: "events.k8s.io", version: "v1", plural: "events", kind: "Event" };

export function resourcePath(
  ref: ResourceRef,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): string {
  const base = ref.group === "" ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  let p = namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${ref.plural}`
    : `${base}/${ref.plural}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource !== undefined) p += `/${subresource}`;
  return p;
}

/** The fields of ObjectMeta the operator reads; objects arrive as plain JSON. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: unknown;
  deletionTimestamp?: string | Date;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export function objectKey(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf("/");
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
