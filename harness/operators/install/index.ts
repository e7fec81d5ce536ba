/**
 * Installs what an operator under test needs in a cluster, from its definition: its CRDs (waited
 * for until served), its ServiceAccount and RBAC, and the further cluster objects its install
 * includes. The cluster provider installs nothing of an operator; `run`, `up` and tests all
 * install through here.
 */
import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import { applyObjects, readManifests, waitCrdsEstablished } from "../../cluster/manifests.ts";
import { artifactValues, operatorCrds } from "../crds.ts";
import type { LoadedOperator } from "../definition.ts";
import { loadOperatorDefinition } from "../load.ts";
import { fillPlaceholders } from "../placeholders.ts";
import { rbacObjects } from "../rbac.ts";

/** Where every operator under test runs as: its ServiceAccount (and its Lease, unless it names another namespace). */
export const OPERATOR_NAMESPACE = "patronus-system";
export const OPERATOR_SERVICE_ACCOUNT = "patronus-operator";

export interface OperatorInstall {
  crds: KubernetesObject[];
  /** Namespaces, ServiceAccount, roles and bindings, and the definition's further objects. */
  objects: KubernetesObject[];
}

/** Reads everything to install (before the cluster starts, so the CRDs can be applied early). */
export async function prepareInstall(loaded: LoadedOperator): Promise<OperatorInstall> {
  const values = artifactValues(loaded);
  const def = loaded.definition;
  const extra =
    def.manifests.length > 0
      ? await readManifests(def.manifests.map((f) => fillPlaceholders(f, values)))
      : [];
  const access = rbacObjects(def, { namespace: OPERATOR_NAMESPACE, name: OPERATOR_SERVICE_ACCOUNT });
  return { crds: await operatorCrds(loaded, values), objects: [...access, ...extra] };
}

/**
 * Applies the CRDs and waits until every one serves. `appliedEarly` is the cluster's answer to
 * whether it applied them during its start (given to it as early objects).
 */
export async function installCrds(
  kc: KubeConfig,
  install: OperatorInstall,
  appliedEarly?: () => Promise<boolean>,
): Promise<void> {
  if (!(await appliedEarly?.())) await applyObjects(kc, install.crds);
  await waitCrdsEstablished(
    kc,
    install.crds.map((o) => o.metadata?.name as string),
  );
}

/** Applies the ServiceAccount, RBAC and further objects. */
export async function installAccess(kc: KubeConfig, install: OperatorInstall): Promise<void> {
  await applyObjects(kc, install.objects);
}

export async function applyInstall(
  kc: KubeConfig,
  install: OperatorInstall,
  appliedEarly?: () => Promise<boolean>,
): Promise<void> {
  await installCrds(kc, install, appliedEarly);
  await installAccess(kc, install);
}

/** The reference operator's install (`up`, tests and tools that need its CRDs and RBAC). */
export async function referenceInstall(): Promise<OperatorInstall> {
  return prepareInstall(await loadOperatorDefinition("reference"));
}
