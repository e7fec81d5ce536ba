/**
 * Names of the sdwan.patronus.io/v1alpha1 API. The group, version and kind names are the
 * contract the harness shares (contract/reference-crds); what only the operator needs is here.
 */
export {
  API_VERSION,
  CATEGORY,
  GROUP,
  KINDS,
  type KindName,
  type KindNames,
  MESH,
  MESH_LABEL,
  PATH,
  POLICY,
  SITE,
  SITE_FINALIZER,
  VERSION,
} from "../../../contract/reference-crds/v1alpha1.ts";

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
