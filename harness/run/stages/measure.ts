/**
 * Stage 4a, measure: starts the scenario's measurements on the running system and builds the
 * context phases run in — its `waitFor` judged by the measurements, its `inject` by the run's
 * control. Registers their stop, so a phase that throws leaves no watch open (an open watch
 * would keep the CLI alive).
 */

import { FaultInjector } from "../../faults/injector.ts";
import { createMeasurements } from "../../measure/builtin.ts";
import type { CrLatencyMeasurement } from "../../measure/cr-latency/cr-latency.ts";
import type { Coverage, Measurement, MeasurementContext } from "../../measure/measurement.ts";
import type { PathStatusMeasurement } from "../../measure/path-status/path-status.ts";
import { measureSteadyState } from "../../measure/steady-state/steady-state.ts";
import { seededRandom } from "../../random/seeded.ts";
import type { Checkpoint } from "../../results/schema.ts";
import { declaredMetricNames } from "../../scenario/threshold/metric-names.ts";
import type { PhaseContext, WaitCondition, WaitOutcome } from "../context.ts";
import { injectInto } from "../control/index.ts";
import { sampleObjectCounts } from "../object-counts.ts";
import { liveTopologySites, MESH_NAME } from "../setup.ts";
import { meshTopology } from "../system/mesh-process.ts";
import { trackCheckpoints } from "./checkpoints.ts";
import type { Provisioned } from "./provision.ts";
import type { RunScope } from "./scope.ts";
import type { SystemUnderTest } from "./start.ts";

/** The Path counts of a run that watches no Paths. */
const NO_PATHS = { pathCount: 0, reporting: () => ({ reporting: 0, expected: 0 }) };

export interface Measuring {
  phases: PhaseContext;
  /** Stops the tickers and the measurements, which write their final metrics (once). */
  stop(): Promise<void>;
  coverage(): Coverage;
  /** Measures the run's quiet end (scenario steadyState.window): what the operator still does. */
  steadyState(windowMs: number): Promise<void>;
  checkpoints(): Checkpoint[];
}

export async function startMeasuring(
  scope: RunScope,
  { cluster, kc, objects }: Provisioned,
  system: SystemUnderTest,
): Promise<Measuring> {
  const { def, store, events, options, teardown } = scope;
  const { mesh, ledger } = system;
  const all = createMeasurements(
    {
      definition: def,
      operator: scope.operator.definition,
      watchesPaths: scope.plan.paths,
      ledger,
      meshName: MESH_NAME,
      topology: () => meshTopology(def),
      liveSites: () => liveTopologySites(mesh.world, ledger),
      callers: system.links,
    },
    def.disableMeasurements,
  );
  // Registered as required: the run's waits, object counts and coverage read them (path-status
  // wherever the run watches Paths).
  const crLatency = all.get("cr-latency") as CrLatencyMeasurement;
  const paths = all.get("path-status") as PathStatusMeasurement | undefined;
  const kinds = scope.operator.definition.kinds;
  const context: MeasurementContext = {
    definition: def,
    namespace: def.namespace,
    store,
    events,
    ledger,
    kc,
    objects,
    operator: system.operators.view,
    mesh: mesh.view,
    kinds,
    operatorMetrics: declaredMetricNames(scope.operator.definition.metrics),
    scrapes: scope.scrapes,
    controlPlane: { etcdMetricsUrl: cluster.endpoints.etcdMetrics, pids: () => cluster.pids() },
  };
  const ops = system.operators;
  const faults = new FaultInjector({
    replicas: () =>
      ops.view.replicas().map((r) => {
        const container = ops.containers().find((x) => x.identity === r.identity);
        return { ...r, ...(container ? { containerId: container.handle.containerId } : {}) };
      }),
    leaderIdentity: () => ops.leaderIdentity(),
    mesh: { pid: () => mesh.view.pid(), ...(mesh.container ? { containerId: mesh.container.id } : {}) },
    controlPlanePids: () => cluster.pids(),
    links: system.links,
    events,
    signal: scope.signal,
  });
  const inject = injectInto({
    mesh,
    operators: ops,
    cluster,
    paths,
    faults,
    operator: scope.operator.definition,
  });
  const waitFor = async (condition: WaitCondition, timeoutMs: number): Promise<WaitOutcome> => {
    if (condition.state === "paths") {
      if (!paths) return { ok: false, missing: "the run watches no Paths" };
      const ok = await paths.settled(timeoutMs, scope.signal);
      return ok ? { ok } : { ok, missing: paths.describeMissing() };
    }
    const ok = await crLatency.settled(condition.object, condition.state, timeoutMs, scope.signal);
    const failing = crLatency.failing(condition.object);
    return {
      ok,
      ...(ok ? {} : { missing: crLatency.expectations.missing(5).join(", ") }),
      ...(failing.length > 0 ? { failing } : {}),
    };
  };
  const phases: PhaseContext = {
    definition: def,
    namespace: def.namespace,
    store,
    events,
    progress: options.progress,
    signal: scope.signal,
    operator: system.operators.view,
    patronus: { url: mesh.url, token: mesh.token },
    timeline: { actionStartedAt: performance.now() },
    objects,
    ledger,
    world: mesh.world,
    random: seededRandom(def.mesh.seed),
    runId: options.id
      .slice(0, 63)
      .replace(/[^a-z0-9-]/g, "-")
      .replace(/-+$/, ""),
    cursor: { policy: 0 },
    kinds,
    seed: def.mesh.seed,
    inject: (injection) => inject(injection, phases),
    waitFor,
  };

  let started: Measurement[] = [];
  const tickers: NodeJS.Timeout[] = [];
  const stop = async () => {
    for (const t of tickers) clearInterval(t);
    const running = started;
    started = [];
    for (const m of [...running].reverse()) {
      try {
        await m.stop(context);
      } catch (err) {
        events.record("measurement.error", m.name, { error: (err as Error).message });
        scope.log(`measurement ${m.name} failed to finish: ${(err as Error).message}`);
      }
    }
  };
  teardown.defer("measurements", stop);
  // First of all: nothing may stay frozen or cut off (a frozen process cannot act on SIGTERM).
  teardown.defer("faults", () => faults.endAll());
  for (const m of all.values()) {
    try {
      await m.start(context);
    } catch (err) {
      // What it opened before failing (a first watch) must not outlive the run.
      await m.stop(context).catch(() => {});
      throw err;
    }
    started.push(m);
  }
  options.progress.attach(started);
  const checkpoints = trackCheckpoints(def, store, started, tickers);
  tickers.push(setInterval(() => store.flushWindows(), 5000));
  tickers.push(setInterval(() => sampleObjectCounts(store, crLatency, paths ?? NO_PATHS), 1000));
  return {
    phases,
    stop: async () => {
      for (const t of tickers) clearInterval(t);
      store.flushWindows();
      await stop();
    },
    coverage: () => crLatency.coverage(),
    steadyState: (windowMs) =>
      measureSteadyState(context, windowMs, scope.signal, crLatency.expectations.outstanding()),
    checkpoints,
  };
}
