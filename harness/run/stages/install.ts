/**
 * Stage 2, install: what the operator needs in the cluster, from its definition (its CRDs, its
 * ServiceAccount and RBAC, further objects of its install; read before the cluster started, see
 * harness/operators/install) and the run's namespace. On a cluster the run does not own, the namespace must be empty
 * and the operator's Lease free, or the run is refused before anything starts.
 */
import { applyInstall, type OperatorInstall } from "../../operators/install/index.ts";
import { ensureNamespace, requireEmptyNamespace } from "../setup.ts";
import { requireFreeLease } from "../system/lease-guard.ts";
import type { Provisioned } from "./provision.ts";
import type { RunScope } from "./scope.ts";

export async function installOperator(
  scope: RunScope,
  { cluster, kc, objects }: Provisioned,
  install: OperatorInstall,
): Promise<void> {
  const { def, log } = scope;
  await applyInstall(kc, install, cluster.appliedEarly?.bind(cluster));
  await ensureNamespace(objects, def.namespace);
  if (cluster.disposable) return;
  await requireEmptyNamespace(objects, def.namespace, scope.operator.definition.kinds);
  // An operator the harness deployed earlier (kind up, --keep) would hold the run's Lease. It is
  // replaced by an in-cluster run anywhere, and removed from a cluster the harness made (kind);
  // on a user's cluster, with the run's operators outside it, the Lease check names it instead.
  let gone: string[] = [];
  if (cluster.capabilities.harnessOwned || def.operator.runtime === "cluster") {
    const { removeEarlierWorkloads } = await import("../system/in-cluster/deploy.ts");
    gone = await removeEarlierWorkloads(kc, log);
  }
  const lease = scope.operator.definition.capabilities.leaderElection;
  if (lease) await requireFreeLease(kc, lease.namespace, lease.name, gone, log);
}
