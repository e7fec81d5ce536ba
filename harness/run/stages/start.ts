/**
 * Stage 3, start the system under test: the mesh simulator (a process, a container, or deployed
 * in the cluster), the run's Mesh object and the operator replicas. Each part registers its own
 * cleanup as it starts, so teardown undoes exactly what exists: the run's objects are removed
 * while the operator still runs (Sites carry its finalizer), then the operator stops, then the
 * simulator.
 */
import { callerPartitions, ReplicaLinks, wantsReplicaLinks } from "../../faults/replica-links.ts";
import { ObjectLedger } from "../../load/objects/ledger.ts";
import { createMesh, removeRunObjects } from "../setup.ts";
import { observeAtStart, type StartObservation } from "../system/container-record.ts";
import type { InClusterSystem } from "../system/in-cluster/index.ts";
import { type MeshProcess, startMeshProcess } from "../system/mesh-process.ts";
import {
  OPERATOR_NAMESPACE,
  OPERATOR_SERVICE_ACCOUNT,
  OperatorGroup,
  type OperatorReplicas,
} from "../system/operators.ts";
import { replicaStarter } from "../system/replica-starter.ts";
import type { Runtimes } from "../system/runtime.ts";
import type { Provisioned } from "./provision.ts";
import type { RunScope } from "./scope.ts";

export interface SystemUnderTest {
  mesh: MeshProcess;
  operators: OperatorReplicas;
  inCluster: InClusterSystem | undefined;
  /** Every object the run writes, as it wrote it. */
  ledger: ObjectLedger;
  runtimes: Runtimes;
  observedAtStart: StartObservation;
  /** Each replica's own links (processes, when the scenario partitions or measures split-brain). */
  links: ReplicaLinks | undefined;
}

export async function startSystem(
  scope: RunScope,
  { cluster, objects }: Provisioned,
  runtimes: Runtimes,
): Promise<SystemUnderTest> {
  const { def, options, log, teardown, store, events } = scope;
  let mesh: MeshProcess;
  let inCluster: InClusterSystem | undefined;
  if (def.operator.runtime === "cluster") {
    const { startInCluster } = await import("../system/in-cluster/index.ts");
    const deployed = await startInCluster(def, scope.operator, cluster, options.dir, log);
    inCluster = deployed;
    if (options.keep)
      teardown.defer("keep notice", () =>
        log(`--keep: the operator and simulator stay deployed in ${deployed.deployment.namespace}`),
      );
    else if (!cluster.disposable) teardown.defer("in-cluster workloads", () => deployed.deployment.remove());
    mesh = deployed.mesh;
  } else {
    log(`starting mesh simulator (${def.mesh.sites} sites)`);
    // The simulator speaks the Patronus API dialect of the operator under test.
    mesh = await startMeshProcess(def, options.dir, scope.processes, runtimes.mesh, {
      dialect: scope.operator.definition.patronusApi.dialect,
    });
  }
  // A process simulator stops with the run's processes; a container or a port-forward does not.
  const sim = mesh;
  if (sim.container || inCluster) teardown.defer("mesh", () => sim.stop());

  const operatorKubeconfig = inCluster
    ? ""
    : await cluster.serviceAccountKubeconfig(OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT);
  // Each replica's own links to the apiserver and the Patronus API, for partitions and split-brain.
  const links =
    !inCluster && wantsReplicaLinks(def)
      ? new ReplicaLinks({
          kubeconfig: operatorKubeconfig,
          dir: options.dir,
          patronus: callerPartitions(mesh),
        })
      : undefined;
  if (links) teardown.defer("replica links", () => links.closeAll().catch(() => {}));
  const operators: OperatorReplicas =
    inCluster?.operators ??
    new OperatorGroup({
      adminKc: cluster.kubeConfig(),
      lease: scope.operator.definition.capabilities.leaderElection,
      start: replicaStarter({
        def,
        operator: scope.operator,
        runDir: options.dir,
        kubeconfig: operatorKubeconfig,
        patronusUrl: mesh.url,
        token: mesh.token,
        tokenFile: mesh.tokenFile,
        processes: scope.processes,
        container: runtimes.operator,
        links: links && ((identity: string) => links.open(identity)),
      }),
    });
  teardown.defer("operators", () => operators.stopAll());
  teardown.defer("progress line", () => options.progress.stop());

  await createMesh(objects, def, scope.operator.definition.kinds.Mesh);
  const ledger = new ObjectLedger();
  // Before the operators stop: Sites carry their finalizer. A run that failed or was interrupted
  // cleans up too, or its objects would block the next run in this namespace.
  if (!cluster.disposable && !options.keep)
    teardown.defer("run objects", async () => {
      const left = await removeRunObjects(objects, def, ledger, scope.operator.definition.kinds).catch(
        () => -1,
      );
      if (left !== 0)
        log(
          `cleanup: ${left < 0 ? "some" : left} object(s) of this run are still in namespace ${def.namespace}`,
        );
    });

  operators.onCrash = ({ index, identity, code, signal, oomKilled }) => {
    events.record("operator.crashed", "harness", { replica: index, identity, code, signal, oomKilled });
    store.count("operator_restarts");
    if (oomKilled) store.count("operator_oom_kills");
    log(`operator replica ${index} (${identity}) exited (${code ?? signal}); restarting it`);
  };
  store.count("operator_restarts", 0);
  log(
    inCluster
      ? `following ${def.operator.replicas} operator pod(s)`
      : `starting ${def.operator.replicas} operator replica(s)`,
  );
  await operators.start(def.operator.replicas);
  if (runtimes.operator) store.count("operator_oom_kills", 0);
  const observedAtStart = await observeAtStart(runtimes, operators, mesh);
  events.record("system.ready", "harness", {});
  return { mesh, operators, inCluster, ledger, runtimes, observedAtStart, links };
}
