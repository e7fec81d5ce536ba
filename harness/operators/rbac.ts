/**
 * The RBAC objects a definition asks for, bound to the ServiceAccount the operator runs as: one
 * ClusterRole with its binding, a Role with its binding in each namespace it names, and — when it
 * elects a leader — a Role on its Lease unless the definition grants one there already. The
 * namespaces they live in come first.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { OperatorDefinition } from "./definition.ts";

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

type Rule = OperatorDefinition["rbac"]["rules"][number];

/** The Lease protocol: acquire by create, renew and release by update (compare-and-swap on resourceVersion). */
const LEASE_VERBS = ["get", "create", "update"];

function grantsLease(rules: readonly Rule[]): boolean {
  return rules.some(
    (r) =>
      r.apiGroups.includes("coordination.k8s.io") &&
      r.resources.includes("leases") &&
      LEASE_VERBS.every((v) => r.verbs.includes(v) || r.verbs.includes("*")),
  );
}

/** The definition's namespaced rules, merged per namespace, with its Lease's Role where it has none. */
function namespacedRules(def: Pick<OperatorDefinition, "rbac" | "capabilities">): Map<string, Rule[]> {
  const out = new Map<string, Rule[]>();
  for (const { namespace, rules } of def.rbac.namespaced)
    out.set(namespace, [...(out.get(namespace) ?? []), ...rules]);
  const lease = def.capabilities.leaderElection;
  if (lease && !grantsLease(out.get(lease.namespace) ?? []))
    out.set(lease.namespace, [
      ...(out.get(lease.namespace) ?? []),
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: LEASE_VERBS },
    ]);
  return out;
}

export function rbacObjects(
  def: Pick<OperatorDefinition, "name" | "rbac" | "capabilities">,
  sa: ServiceAccountRef,
): KubernetesObject[] {
  const roleName = `patronus-bench:${def.name}`;
  const labels = { "app.kubernetes.io/managed-by": "patronus-bench", "patronus-bench/operator": def.name };
  const subjects = [{ kind: "ServiceAccount", name: sa.name, namespace: sa.namespace }];
  const roles = namespacedRules(def);
  const out: KubernetesObject[] = [...new Set([sa.namespace, ...roles.keys()])].map((name) => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name },
  }));
  out.push(
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: sa.name, namespace: sa.namespace, labels },
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: roleName, labels },
      rules: def.rbac.rules,
    } as KubernetesObject,
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: roleName, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
      subjects,
    } as KubernetesObject,
  );
  for (const [namespace, rules] of roles) {
    out.push(
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name: roleName, namespace, labels },
        rules,
      } as KubernetesObject,
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: roleName, namespace, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: roleName },
        subjects,
      } as KubernetesObject,
    );
  }
  return out;
}
