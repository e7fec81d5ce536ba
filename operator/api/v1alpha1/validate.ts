/**
 * Checking objects read from the apiserver or built by the harness. The apiserver already enforces
 * the CRD schema, but the operator still validates what it reads (a CRD older than this code, a
 * cluster where the CRDs were edited) and turns every violation into a message naming the field,
 * in the apiserver's own path notation (spec.links[0].name), for a condition or an error.
 */
import type { z } from "zod";
import type { KindName } from "./constants.ts";
import { MeshResource } from "./mesh.ts";
import { PathResource } from "./path.ts";
import { PolicyResource } from "./policy.ts";
import { SiteResource } from "./site.ts";

export const RESOURCE_SCHEMAS = {
  Site: SiteResource,
  Mesh: MeshResource,
  Path: PathResource,
  Policy: PolicyResource,
} as const;

export type ResourceOf<K extends KindName> = z.infer<(typeof RESOURCE_SCHEMAS)[K]>;

export interface FieldIssue {
  /** Field path as the apiserver writes it: `spec.links[0].name`. */
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[]; message: string };

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ field: fieldPath(i.path), message: i.message }));
}

export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join("; ");
}

/** Validates a whole object of the given kind, defaults applied as the apiserver would. */
export function checkResource<K extends KindName>(kind: K, obj: unknown): Checked<ResourceOf<K>> {
  const result = RESOURCE_SCHEMAS[kind].safeParse(obj);
  if (result.success) return { ok: true, value: result.data as ResourceOf<K> };
  const issues = toFieldIssues(result.error);
  return { ok: false, issues, message: describeIssues(issues) };
}

/** Thrown by the object constructors: the message names the kind, the object and every bad field. */
export class InvalidResourceError extends Error {
  override name = "InvalidResourceError";
  readonly kind: KindName;
  readonly objectName: string;
  readonly issues: FieldIssue[];
  constructor(kind: KindName, objectName: string, issues: FieldIssue[]) {
    super(`invalid ${kind} "${objectName}": ${describeIssues(issues)}`);
    this.kind = kind;
    this.objectName = objectName;
    this.issues = issues;
  }
}

export interface ObjectDraft {
  metadata: { name: string; [field: string]: unknown };
  [field: string]: unknown;
}

export function mustBeValid<K extends KindName>(kind: K, obj: ObjectDraft): ResourceOf<K> {
  const checked = checkResource(kind, obj);
  if (!checked.ok) throw new InvalidResourceError(kind, obj.metadata.name, checked.issues);
  return checked.value;
}
