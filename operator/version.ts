/**
 * The operator's version, and the User-Agent its apiserver calls carry: the apiserver names the
 * field manager of a write after it (`kubectl get site -o yaml --show-managed-fields` shows
 * `patronus-operator` owning each Site's status and finalizer), and its audit log and request
 * metrics tell the operator's calls apart by it.
 */
import release from "./version.json" with { type: "json" };

/** Kept as data (version.json) so that whoever runs the operator reads it without importing it. */
export const OPERATOR_VERSION: string = release.version;
export const OPERATOR_USER_AGENT = `patronus-operator/${OPERATOR_VERSION}`;
