import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubernetesObject } from "@kubernetes/client-node";
import { rbacObjects as objectsOf, type ServiceAccountRef } from "./rbac.ts";

const OPERATOR_NAMESPACE = "operators";
const SA: ServiceAccountRef = { namespace: OPERATOR_NAMESPACE, name: "op" };
const ROLE = "patronus-bench:test";
type Spec = Omit<Parameters<typeof objectsOf>[0], "name" | "rbac"> & {
  rbac: {
    rules: Parameters<typeof objectsOf>[0]["rbac"]["rules"];
    namespaced?: Parameters<typeof objectsOf>[0]["rbac"]["namespaced"];
  };
};
const rbacObjects = (spec: Spec) =>
  objectsOf({ name: "test", ...spec, rbac: { namespaced: [], ...spec.rbac } }, SA);

const rules = [{ apiGroups: ["example.io"], resources: ["sites"], verbs: ["get", "list", "watch"] }];
const ids = (objects: KubernetesObject[]) =>
  objects.map(
    (o) => `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`,
  );
const role = (objects: KubernetesObject[], namespace: string) =>
  objects.find((o) => o.kind === "Role" && o.metadata?.namespace === namespace) as
    | (KubernetesObject & { rules: Array<{ resources: string[]; verbs: string[] }> })
    | undefined;

describe("operator RBAC from its definition", () => {
  it("gives its ServiceAccount the definition's cluster rules, and a Role on its Lease", () => {
    const objects = rbacObjects({
      rbac: { rules },
      capabilities: {
        leaderElection: { namespace: "leases-here", name: "op" },
        finalizers: false,
        fencing: false,
      },
    });
    assert.deepEqual(ids(objects), [
      `Namespace/${OPERATOR_NAMESPACE}`,
      "Namespace/leases-here",
      `ServiceAccount/${OPERATOR_NAMESPACE}/op`,
      `ClusterRole/${ROLE}`,
      `ClusterRoleBinding/${ROLE}`,
      `Role/leases-here/${ROLE}`,
      `RoleBinding/leases-here/${ROLE}`,
    ]);
    assert.deepEqual((objects[3] as unknown as { rules: unknown }).rules, rules);
    assert.deepEqual(role(objects, "leases-here")?.rules[0]?.verbs, ["get", "create", "update"]);
  });

  it("keeps the definition's own Lease role instead of adding one, and merges roles per namespace", () => {
    const lease = {
      apiGroups: ["coordination.k8s.io"],
      resources: ["leases"],
      verbs: ["get", "create", "update", "patch"],
    };
    const events = { apiGroups: [""], resources: ["events"], verbs: ["create"] };
    const objects = rbacObjects({
      rbac: {
        rules,
        namespaced: [
          { namespace: OPERATOR_NAMESPACE, rules: [lease] },
          { namespace: OPERATOR_NAMESPACE, rules: [events] },
        ],
      },
      capabilities: {
        leaderElection: { namespace: OPERATOR_NAMESPACE, name: "op" },
        finalizers: false,
        fencing: false,
      },
    });
    assert.deepEqual(role(objects, OPERATOR_NAMESPACE)?.rules, [lease, events]);
    assert.equal(objects.filter((o) => o.kind === "Role").length, 1);
  });

  it("grants no Lease to an operator without leader election", () => {
    const objects = rbacObjects({
      rbac: { rules },
      capabilities: { leaderElection: null, finalizers: false, fencing: false },
    });
    assert.equal(objects.filter((o) => o.kind === "Role" || o.kind === "RoleBinding").length, 0);
  });
});
