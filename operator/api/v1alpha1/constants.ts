/**
 * Names of the sdwan.patronus.io/v1alpha1 API: one place, so the CRD YAML (fixtures/crds), the
 * operator's clients and informers, and the harness's object builders cannot drift apart.
 */
export const GROUP = "sdwan.patronus.io";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;
/** Held by every Site the operator registered until it deregisters it from the Patronus API. */
export const SITE_FINALIZER = `${GROUP}/deregister`;
/** `kubectl get patronus` lists every kind at once. */
export const CATEGORY = "patronus";

export type KindName = "Site" | "Mesh" | "Path" | "Policy";

export interface KindNames<K extends KindName = KindName> {
  kind: K;
  listKind: string;
  plural: string;
  singular: string;
  shortName: string;
  /** CustomResourceDefinition name: `<plural>.<group>`. */
  crdName: string;
}

function names<K extends KindName>(kind: K, plural: string, shortName: string): KindNames<K> {
  return {
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    shortName,
    crdName: `${plural}.${GROUP}`,
  };
}

export const SITE = names("Site", "sites", "psite");
export const MESH = names("Mesh", "meshes", "pmesh");
export const PATH = names("Path", "paths", "ppath");
export const POLICY = names("Policy", "policies", "ppol");
export const KINDS = [SITE, MESH, PATH, POLICY] as const;

/** Label the Mesh controller puts on every Path it owns, so a Mesh's Paths list by selector. */
export const MESH_LABEL = `${GROUP}/mesh`;

/** Condition types each kind reports (status.conditions[].type). */
export const CONDITION_TYPES = {
  Site: ["Registered", "Ready"],
  Mesh: ["Ready"],
  Path: ["Healthy"],
  Policy: ["Accepted", "Applied"],
} as const;

export const SITE_PHASES = ["Pending", "Registering", "Ready", "Failed", "Deleting"] as const;
export const PATH_STATES = ["Up", "Degraded", "Down", "Unknown"] as const;
export const LINK_TYPES = ["mpls", "internet", "lte"] as const;
export const TOPOLOGY_TYPES = ["hub-spoke", "regional", "partial", "full"] as const;
/** Mesh spec.maxTunnels when unset (the apiserver defaults it; matches DEFAULT_TUNNEL_BUDGET). */
export const DEFAULT_MAX_TUNNELS = 50_000;
