/**
 * Installs what an operator under test needs in a cluster, from its definition: its CRDs (waited
 * for until served), its ServiceAccount and RBAC, and the further cluster objects its install
 * includes. The cluster provider installs nothing of an operator; `run`, `up` and tests all
 * install through here.
 */
import { CustomObjectsApi, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { applyObjects, readManifests, waitCrdsEstablished } from "../../cluster/manifests.ts";
import { HarnessError } from "../../errors.ts";
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
  await waitDiscovered(kc, install.crds);
}

/**
 * Until API discovery lists every CRD's kind: it follows Established by a moment, and a client
 * that looks a kind up in that moment (the load driver's first create) would get a 404.
 */
async function waitDiscovered(
  kc: KubeConfig,
  crds: readonly KubernetesObject[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const api = kc.makeApiClient(CustomObjectsApi);
  for (const crd of crds) {
    const spec = (crd as { spec?: CrdSpec }).spec;
    const version = spec?.versions.find((v) => v.storage)?.name ?? spec?.versions[0]?.name;
    if (!spec || !version) continue;
    for (;;) {
      const list = await api.getAPIResources({ group: spec.group, version }).catch(() => undefined);
      if (list?.resources.some((r) => r.kind === spec.names.kind)) break;
      if (performance.now() > deadline)
        throw new HarnessError(
          `API discovery does not list ${spec.names.kind} (${spec.group}/${version}) ${timeoutMs / 1000} s after its CRD was Established`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

interface CrdSpec {
  group: string;
  names: { kind: string };
  versions: Array<{ name: string; storage?: boolean }>;
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
