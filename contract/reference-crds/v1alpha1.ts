/**
 * The reference operator's custom resources, sdwan.patronus.io/v1alpha1: group, version and the
 * names of each kind, as its CRDs (fixtures/crds) declare them. The operator in operator/ serves
 * them and the harness creates, watches and counts them; neither owns this file and it imports
 * neither. Another operator under test names its kinds in its own definition.
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
