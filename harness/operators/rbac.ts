/**
 * The RBAC objects a definition asks for, bound to the ServiceAccount the operator runs as: one
 * ClusterRole with its binding, and a Role with its binding in each namespace it names.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { OperatorDefinition } from "./definition.ts";

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

export function rbacObjects(def: OperatorDefinition, sa: ServiceAccountRef): KubernetesObject[] {
  const roleName = `patronus-bench:${def.name}`;
  const labels = { "app.kubernetes.io/managed-by": "patronus-bench", "patronus-bench/operator": def.name };
  const subjects = [{ kind: "ServiceAccount", name: sa.name, namespace: sa.namespace }];
  const out: KubernetesObject[] = [
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
  ];
  for (const { namespace, rules } of def.rbac.namespaced) {
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
