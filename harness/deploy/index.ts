/**
 * `generateManifests(options)`: everything an in-cluster deployment of the operator and the mesh
 * simulator needs, in apply order — the RBAC of fixtures/rbac (re-namespaced), the shared API
 * token, then both workloads. Chosen over a Helm chart: no helm binary in CI, the same zod
 * validation as every other harness input, and the flags are checked against the operator's command line.
 */
import { randomBytes } from "node:crypto";
import type { KubernetesObject } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { HarnessError } from "../errors.ts";
import { flagProblems, OPERATOR_SCRIPT } from "../operators/builtin/reference/cli.ts";
import { RBAC_DIR } from "../paths.ts";
import { operatorArgs, workloadObjects } from "./objects.ts";
import { type DeployOptions, type DeployOptionsInput, parseDeployOptions } from "./options.ts";

export { MESH_NAME, OPERATOR_NAME, TOKEN_SECRET } from "./objects.ts";
export {
  type DeployOptions,
  type DeployOptionsInput,
  OPERATOR_RESOURCES,
  parseDeployOptions,
} from "./options.ts";

export interface Manifests {
  options: DeployOptions;
  objects: KubernetesObject[];
}

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "FlowSchema",
  "PriorityLevelConfiguration",
]);

interface FlowSchemaRules {
  priorityLevelConfiguration?: { name?: string };
  rules?: {
    subjects?: { serviceAccount?: { namespace?: string } }[];
    resourceRules?: { namespaces?: string[] }[];
  }[];
}

/** fixtures/rbac is written for patronus-system; move it to the namespace asked for. */
export async function rbacObjects(namespace: string): Promise<KubernetesObject[]> {
  const { readManifests, yamlFilesIn } = await import("../cluster/manifests.ts");
  const objects = await readManifests(await yamlFilesIn(RBAC_DIR));
  return objects.map((obj) => {
    const copy = structuredClone(obj) as KubernetesObject & { subjects?: { namespace?: string }[] };
    if (copy.kind === "Namespace") {
      // Enforce the restricted Pod Security Standard: the pods below are written to pass it.
      const podSecurity = { "pod-security.kubernetes.io/enforce": "restricted" };
      copy.metadata = {
        ...copy.metadata,
        name: namespace,
        labels: { ...copy.metadata?.labels, ...podSecurity },
      };
    } else if (!CLUSTER_SCOPED.has(copy.kind ?? "")) copy.metadata = { ...copy.metadata, namespace };
    for (const s of copy.subjects ?? []) if (s.namespace) s.namespace = namespace;
    if (copy.kind === "FlowSchema" || copy.kind === "PriorityLevelConfiguration") {
      // Cluster-scoped, so named after the install's namespace.
      copy.metadata = { ...copy.metadata, name: installScoped(namespace, copy.metadata?.name) };
    }
    if (copy.kind === "FlowSchema") {
      const spec = (copy as { spec?: FlowSchemaRules }).spec;
      const level = spec?.priorityLevelConfiguration;
      // A level of the install's own (named <namespace>.<name>) moves with it; built-in ones stay.
      if (level?.name?.startsWith("patronus-system.")) level.name = installScoped(namespace, level.name);
      for (const rule of spec?.rules ?? []) {
        for (const s of rule.subjects ?? [])
          if (s.serviceAccount?.namespace) s.serviceAccount.namespace = namespace;
        // The leader-election schema matches the install's namespace (its Lease); "*" stays "*".
        for (const r of rule.resourceRules ?? [])
          if (r.namespaces && !r.namespaces.includes("*")) r.namespaces = [namespace];
      }
    }
    return copy;
  });
}

function installScoped(namespace: string, name = ""): string {
  return `${namespace}.${name.slice(name.indexOf(".") + 1)}`;
}

/** The flags the Deployment passes after the script (Node's own come before it), as the operator would judge them. */
function checkOperatorFlags(o: DeployOptions): void {
  const args = operatorArgs(o);
  const problems = flagProblems(args.slice(args.indexOf(OPERATOR_SCRIPT) + 1));
  if (problems.length > 0) {
    throw new HarnessError(`the operator would reject its generated flags:\n  ${problems.join("\n  ")}`, {
      fix: "check operator.extraArgs",
    });
  }
}

export async function generateManifests(input: DeployOptionsInput): Promise<Manifests> {
  const options = parseDeployOptions(input);
  checkOperatorFlags(options);
  const token = options.patronusToken ?? randomBytes(24).toString("base64url");
  const objects = [
    ...(await rbacObjects(options.namespace)),
    ...(workloadObjects(options, token) as KubernetesObject[]),
  ];
  return { options, objects };
}

export function toYaml(objects: readonly KubernetesObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
}
