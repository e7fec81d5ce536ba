/**
 * One run of a scenario: bring up the cluster, CRDs and RBAC, the mesh simulator and the operator
 * replicas; start the measurements; run the phases in order; stop the measurements; evaluate the
 * thresholds and write results.json atomically. Teardown always happens, also after an error.
 * On Ctrl-C (the interrupt option) the run ends its phase, cleans up and writes no results; a
 * second Ctrl-C has the process supervisor stop every child at once.
 */
import { join } from "node:path";
import { type ClusterHandle, startCluster } from "../cluster/index.ts";
import { HarnessError, Interrupted } from "../errors.ts";
import { FaultInjector } from "../faults/injector.ts";
import { callerPartitions, ReplicaLinks, wantsReplicaLinks } from "../faults/replica-links.ts";
import { KubeObjects } from "../load/kube/client.ts";
import { ObjectLedger } from "../load/objects/ledger.ts";
import { RunEventLog } from "../measure/events/run-events.ts";
import type { Measurement } from "../measure/measurement.ts";
import { MetricStore } from "../measure/metrics/store.ts";
import { PathStatusMeasurement } from "../measure/path-status/path-status.ts";
import { operatorVersion } from "../operators/builtin/reference/cli.ts";
import type { LoadedOperator } from "../operators/definition.ts";
import { runOperatorRecord } from "../operators/record.ts";
import { ProcessSet } from "../process/supervisor.ts";
import { seededRandom } from "../random/seeded.ts";
import type { Checkpoint, Results } from "../results/schema.ts";
import { writeResults } from "../results/write.ts";
import type { Phase } from "../scenario/phases.ts";
import { type ScenarioDefinition, thresholdSpecs } from "../scenario/schema.ts";
import { evaluateThresholds } from "../scenario/threshold/evaluate.ts";
import type { RunContext } from "./context.ts";
import { systemControl } from "./control/index.ts";
import { diagnose } from "./diagnosis/diagnose.ts";
import { buildMeasurements } from "./measurements.ts";
import { withApplicability } from "./not-applicable.ts";
import { sampleObjectCounts } from "./object-counts.ts";
import type { PhaseRecord } from "./phases/index.ts";
import { phaseName, runPhase, runSteadyState } from "./phases/index.ts";
import type { ConsoleProgress } from "./progress.ts";
import { buildResults } from "./results.ts";
import {
  createMesh,
  ensureNamespace,
  liveTopologySites,
  removeRunObjects,
  requireEmptyNamespace,
} from "./setup.ts";
import { operatorUnderTest, planFor } from "./subject.ts";
import { observeAtStart, recordContainers } from "./system/container-record.ts";
import type { InClusterSystem } from "./system/in-cluster/index.ts";
import { leaseNameOf, requireFreeLease } from "./system/lease-guard.ts";
import { type MeshProcess, meshTopology, startMeshProcess } from "./system/mesh-process.ts";
import {
  OPERATOR_NAMESPACE,
  OPERATOR_SERVICE_ACCOUNT,
  OperatorGroup,
  type OperatorReplicas,
} from "./system/operators.ts";
import { prepareRuntimes } from "./system/runtime.ts";

export interface RunOnceOptions {
  dir: string;
  id: string;
  repeat?: { index: number; of: number };
  progress: ConsoleProgress;
  /** Ends the run early the normal way: measurements stopped, results written (profile's window). */
  signal?: AbortSignal;
  /**
   * The user stopped the run (Ctrl-C; the reason is the signal's name): it ends its phase, cleans
   * up and throws Interrupted without writing results, which would look complete.
   */
  interrupt?: AbortSignal;
  /** Optional, awaited around each phase; see PhaseHooks. */
  phaseHooks?: PhaseHooks;
  /** kind/kubeconfig: leave the cluster, this run's objects and in-cluster workloads in place. */
  keep?: boolean;
  /** The operator under test, resolved (and built) by harness/operators/load.ts; absent: the reference operator. */
  operator?: LoadedOperator;
}

/**
 * Hook for `patronus-bench profile` (harness/profile/, profiling helper): called before and after
 * each phase with the live context, so a profiler can open its window on the operator leader for
 * chosen phases only. A hook that throws fails the run like a failed phase (teardown still runs).
 */
export interface PhaseHooks {
  beforePhase?(name: string, ctx: RunContext): Promise<void>;
  afterPhase?(name: string, ctx: RunContext): Promise<void>;
}

export async function runOnce(def: ScenarioDefinition, options: RunOnceOptions): Promise<Results> {
  const { progress } = options;
  const startedAt = new Date();
  const origin = performance.now();
  const store = new MetricStore(origin);
  const events = new RunEventLog(origin);
  const processes = new ProcessSet();
  const abort = new AbortController();
  options.signal?.addEventListener("abort", () => abort.abort(), { once: true });
  options.interrupt?.addEventListener("abort", () => abort.abort(), { once: true });
  let cluster: ClusterHandle | undefined;
  let operators: OperatorReplicas | undefined;
  let mesh: MeshProcess | undefined;
  let inCluster: InClusterSystem | undefined;
  let started: Measurement[] = [];
  let runCtx: RunContext | undefined;
  let links: ReplicaLinks | undefined;
  let faults: FaultInjector | undefined;
  let objects: KubeObjects | undefined;
  /** Set once the run has objects in a cluster it does not throw away, until they are removed. */
  let toRemove: ObjectLedger | undefined;
  const tickers: NodeJS.Timeout[] = [];
  const subject = operatorUnderTest(options.operator);
  const plan = planFor(def, subject);
  // The replicas below are started by the reference operator's launcher; another operator would
  // run as the reference one while results.json named it.
  if (
    options.operator &&
    !(options.operator.origin === "built-in" && options.operator.definition.name === "reference")
  )
    throw new HarnessError(
      `operator ${options.operator.definition.name}: this orchestrator starts only the reference operator`,
      { fix: "run with --operator reference" },
    );
  try {
    // Before the cluster: a missing engine or stale image fails in seconds.
    const runtimes = await prepareRuntimes(def, (line) => progress.log(line));
    progress.log(`starting ${def.cluster.provider} cluster`);
    cluster = await startCluster({
      provider: def.cluster.provider,
      runDir: join(options.dir, "cluster"),
      ...(def.cluster.kubeconfig ? { kubeconfig: def.cluster.kubeconfig } : {}),
      knobs: def.cluster.knobs as never,
      log: (line) => progress.log(line),
      ...(options.keep ? { keep: true } : {}),
    });
    events.record("cluster.ready", "harness", { timings: cluster.timings });
    await cluster.installCrds();
    await cluster.installRbac();
    const kc = cluster.kubeConfig();
    objects = new KubeObjects(kc);
    await ensureNamespace(objects, def.namespace);
    if (!cluster.disposable) {
      await requireEmptyNamespace(objects, def.namespace, subject.kinds);
      // An operator the harness deployed earlier (kind up, --keep) would hold the run's Lease. It is
      // replaced by an in-cluster run anywhere, and removed from kind (the harness's own cluster);
      // on a user's cluster, with the run's operators outside it, the Lease check names it instead.
      let gone: string[] = [];
      if (cluster.provider === "kind" || def.operator.runtime === "cluster") {
        const { removeEarlierWorkloads } = await import("./system/in-cluster/deploy.ts");
        gone = await removeEarlierWorkloads(kc, (line) => progress.log(line));
      }
      await requireFreeLease(kc, OPERATOR_NAMESPACE, leaseNameOf(def.operator.extraArgs), gone, (line) =>
        progress.log(line),
      );
    }
    if (def.operator.runtime === "cluster") {
      const { startInCluster } = await import("./system/in-cluster/index.ts");
      inCluster = await startInCluster(def, cluster, options.dir, (line) => progress.log(line));
      mesh = inCluster.mesh;
      operators = inCluster.operators;
    } else {
      progress.log(`starting mesh simulator (${def.mesh.sites} sites)`);
      mesh = await startMeshProcess(def, options.dir, processes, runtimes.mesh);
    }
    const sim = mesh;
    await createMesh(objects, def, subject.kinds.Mesh);
    const ledger = new ObjectLedger();
    if (!cluster.disposable && !options.keep) toRemove = ledger;
    const operatorKubeconfig = inCluster
      ? ""
      : await cluster.serviceAccountKubeconfig(OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT);
    if (!inCluster && wantsReplicaLinks(def))
      links = new ReplicaLinks({
        kubeconfig: operatorKubeconfig,
        dir: options.dir,
        patronus: callerPartitions(mesh),
      });
    const replicaLinks = links;
    operators ??= new OperatorGroup({
      def,
      runDir: options.dir,
      kubeconfig: operatorKubeconfig,
      ...(replicaLinks ? { links: (identity: string) => replicaLinks.open(identity) } : {}),
      adminKc: kc,
      patronusUrl: mesh.url,
      tokenFile: mesh.tokenFile,
      processes,
      ...(runtimes.operator ? { container: runtimes.operator } : {}),
    });
    operators.onCrash = ({ index, identity, code, signal, oomKilled }) => {
      events.record("operator.crashed", "harness", { replica: index, identity, code, signal, oomKilled });
      store.count("operator_restarts");
      if (oomKilled) store.count("operator_oom_kills");
      progress.log(`operator replica ${index} (${identity}) exited (${code ?? signal}); restarting it`);
    };
    store.count("operator_restarts", 0);
    progress.log(
      inCluster
        ? `following ${def.operator.replicas} operator pod(s)`
        : `starting ${def.operator.replicas} operator replica(s)`,
    );
    await operators.start(def.operator.replicas);
    if (runtimes.operator) store.count("operator_oom_kills", 0);
    const observedAtStart = await observeAtStart(runtimes, operators, mesh);
    events.record("system.ready", "harness", {});

    const paths = new PathStatusMeasurement({
      topology: () => meshTopology(def),
      liveSites: () => liveTopologySites(sim.world, ledger),
      liveVersion: () => ledger.liveVersion("site"),
    });
    const set = buildMeasurements(def.disableMeasurements, paths, links, {
      paths: plan.paths,
      kinds: subject.kinds,
    });
    const c = cluster;
    const ops = operators;
    faults = new FaultInjector({
      replicas: () =>
        ops.view.replicas().map((r) => {
          const container = ops.containers().find((x) => x.identity === r.identity);
          return { ...r, ...(container ? { containerId: container.handle.containerId } : {}) };
        }),
      leaderIdentity: () => ops.leaderIdentity(),
      mesh: { pid: () => sim.view.pid(), ...(sim.container ? { containerId: sim.container.id } : {}) },
      controlPlanePids: () => c.pids(),
      links,
      events,
      signal: abort.signal,
    });
    const ctx: RunContext = {
      definition: def,
      namespace: def.namespace,
      store,
      events,
      ledger,
      kc,
      objects,
      operator: operators.view,
      mesh: mesh.view,
      controlPlane: { etcdMetricsUrl: c.endpoints.etcdMetrics, pids: () => c.pids() },
      world: mesh.world,
      random: seededRandom(def.mesh.seed),
      runId: options.id
        .slice(0, 63)
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/-+$/, ""),
      cursor: { policy: 0 },
      kinds: subject.kinds,
      seed: def.mesh.seed,
      cluster: c,
      crLatency: set.crLatency,
      paths: set.paths,
      control: systemControl(mesh, operators, faults),
      progress,
      signal: abort.signal,
      patronus: { url: mesh.url, token: mesh.token },
      timeline: { actionStartedAt: performance.now() },
    };
    runCtx = ctx;
    for (const m of set.all) {
      await m.start(ctx);
      started.push(m);
    }
    progress.attach(started);
    const checkpoints = trackCheckpoints(def, store, started, tickers);
    tickers.push(setInterval(() => store.flushWindows(), 5000));
    tickers.push(setInterval(() => sampleObjectCounts(store, set.crLatency, set.paths), 1000));

    const phases: PhaseRecord[] = [];
    for (const { index: i, phase, skipped } of plan.phases) {
      if (abort.signal.aborted) break;
      if (!phase) {
        events.record("phase.not-applicable", "harness", {
          name: phaseName(def.phases[i] as Phase, i),
          reason: skipped,
        });
        progress.log(`phase ${phaseName(def.phases[i] as Phase, i)} left out: ${skipped}`);
        continue;
      }
      await options.phaseHooks?.beforePhase?.(phaseName(phase, i), ctx);
      phases.push(await runPhase(ctx, phase, i));
      await options.phaseHooks?.afterPhase?.(phaseName(phase, i), ctx);
      const failed = abortingThreshold(def, store, (performance.now() - origin) / 1000);
      if (failed) {
        events.record("threshold.abort", "harness", { threshold: failed });
        progress.log(`aborting: threshold ${failed} failed (abortOnFail)`);
        break;
      }
    }
    if (options.interrupt?.aborted) throw new Interrupted(options.interrupt.reason as NodeJS.Signals);
    if (def.steadyState.window > 0 && !abort.signal.aborted)
      phases.push(await runSteadyState(ctx, def.steadyState.window));
    for (const t of tickers) clearInterval(t);
    store.flushWindows();
    await stopAll(started, ctx, progress);
    started = [];
    const coverage = set.crLatency.coverage();
    const runtimeKnobs = await recordContainers(runtimes, observedAtStart, operators, store);
    if (inCluster) {
      const { recordInCluster } = await import("./system/in-cluster/index.ts");
      Object.assign(runtimeKnobs, await recordInCluster(inCluster, store));
    }
    const built = await buildResults({
      id: options.id,
      definition: def,
      startedAt,
      finishedAt: new Date(),
      ...(options.repeat ? { repeat: options.repeat } : {}),
      cluster: c,
      operator: options.operator
        ? runOperatorRecord(options.operator)
        : { name: "reference", origin: "built-in", version: operatorVersion(), source: null },
      metrics: store.toMetrics(),
      phases,
      events,
      checkpoints: checkpoints(),
      coverage,
    });
    const results = withApplicability(built, plan);
    Object.assign(results.run.cluster.knobs, runtimeKnobs);
    const diagnosis = await diagnose(results, options.dir, {
      logFormat: options.operator?.definition.start.log ?? "json",
    }).catch((err: unknown) => ({ lines: [`diagnosis failed: ${(err as Error).message}`] }));
    if (diagnosis.lines.length > 0) results.diagnosis = diagnosis;
    await writeResults(options.dir, results);
    if (options.keep) progress.log(`--keep: this run's objects stay in namespace ${def.namespace}`);
    return results;
  } finally {
    for (const t of tickers) clearInterval(t);
    // Nothing may stay frozen or cut off: a frozen process cannot act on SIGTERM.
    await faults?.endAll();
    // A phase that threw leaves its measurements' watches open, which would keep the CLI alive.
    if (started.length > 0 && runCtx) await stopAll(started, runCtx, progress).catch(() => {});
    // Before the operators stop: Sites carry their finalizer. A run that failed or was interrupted
    // cleans up too, or its objects would block the next run in this namespace.
    if (toRemove && objects) {
      const left = await removeRunObjects(objects, def, toRemove, subject.kinds).catch(() => -1);
      if (left !== 0)
        progress.log(
          `cleanup: ${left < 0 ? "some" : left} object(s) of this run are still in namespace ${def.namespace}`,
        );
    }
    progress.stop();
    await teardown(operators, mesh, inCluster, processes, cluster, progress, options.keep === true);
    await links?.closeAll().catch(() => {});
    if (options.keep && cluster)
      progress.log(
        `--keep: the ${cluster.provider} cluster stays` +
          (inCluster
            ? `, with the operator and simulator deployed in ${inCluster.deployment.namespace}`
            : "") +
          ` (kubeconfig ${cluster.kubeconfigPath})`,
      );
    await objects?.close().catch(() => {});
  }
}

async function stopAll(
  measurements: Measurement[],
  ctx: RunContext,
  progress: ConsoleProgress,
): Promise<void> {
  for (const m of [...measurements].reverse()) {
    try {
      await m.stop(ctx);
    } catch (err) {
      ctx.events.record("measurement.error", m.name, { error: (err as Error).message });
      progress.log(`measurement ${m.name} failed to finish: ${(err as Error).message}`);
    }
  }
}

async function teardown(
  operators: OperatorReplicas | undefined,
  mesh: MeshProcess | undefined,
  inCluster: InClusterSystem | undefined,
  processes: ProcessSet,
  cluster: ClusterHandle | undefined,
  progress: ConsoleProgress,
  keep: boolean,
): Promise<void> {
  const errors: string[] = [];
  await operators?.stopAll().catch((e: unknown) => errors.push(`operators: ${(e as Error).message}`));
  // A process simulator stops with the ProcessSet; a container one or a port-forward is not in it.
  if (mesh?.container || inCluster)
    await mesh?.stop().catch((e: unknown) => errors.push(`mesh: ${(e as Error).message}`));
  if (!cluster?.disposable && !keep)
    await inCluster?.deployment
      .remove()
      .catch((e: unknown) => errors.push(`in-cluster workloads: ${(e as Error).message}`));
  await processes.stopAll().catch((e: unknown) => errors.push(`processes: ${(e as Error).message}`));
  await cluster?.stop().catch((e: unknown) => errors.push(`cluster: ${(e as Error).message}`));
  if (errors.length) progress.log(`teardown problems: ${errors.join("; ")}`);
}

/** The first abortOnFail threshold failing on the metrics so far, if any. */
function abortingThreshold(def: ScenarioDefinition, store: MetricStore, seconds: number): string | undefined {
  const specs = thresholdSpecs(def).filter((s) => s.abortOnFail);
  if (specs.length === 0) return undefined;
  const failed = evaluateThresholds(specs, store.toMetrics(), seconds).find(
    (r) => !r.passed && r.value !== null,
  );
  return failed ? `${failed.metric} ${failed.expression} (value ${failed.value})` : undefined;
}

/**
 * Cost-curve checkpoints: when as many Sites have been observed Ready as a checkpoint says, the
 * measurements' current figures (CPU, RSS, queue depth, p99 so far…) are recorded against it.
 */
function trackCheckpoints(
  def: ScenarioDefinition,
  store: MetricStore,
  measurements: readonly Measurement[],
  tickers: NodeJS.Timeout[],
): () => Checkpoint[] {
  const pending = [...def.checkpoints].sort((a, b) => a - b);
  const taken: Checkpoint[] = [];
  tickers.push(
    setInterval(() => {
      const ready = store.hasDistribution("site_ready_latency")
        ? store.distribution("site_ready_latency").count
        : 0;
      while (pending.length > 0 && ready >= (pending[0] as number)) {
        const objects = pending.shift() as number;
        const point: Checkpoint = { objects, t: store.elapsedSeconds() };
        for (const m of measurements) Object.assign(point, m.checkpoint?.() ?? {});
        taken.push(point);
      }
    }, 250),
  );
  return () => taken;
}
