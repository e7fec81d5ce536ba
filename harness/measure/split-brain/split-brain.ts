/**
 * Split brain, measured: the leader Lease's history (a watch, each state stamped on arrival) and
 * every request each operator replica sent to the apiserver (its own link, which logs them:
 * harness/faults/replica-links.ts) and to the Patronus API (the simulator's per-caller request
 * log; a request a partition held is dated when it was served) give
 *   stale_writes         — writes made while the writer did not hold the Lease (classify.ts),
 *                          also by API: stale_writes{api="apiserver"|"patronus-api"};
 *   dual_leader_seconds  — how long a replica still wrote while another held the Lease.
 * The first stale writes are listed in the run's events (split-brain.stale-write).
 */
import type { CrObject } from "../../load/kube/client.ts";
import type { Measurement, MeasurementContext } from "../measurement.ts";
import { ResourceWatch } from "../watch/resource-watch.ts";
import { classifyWrites, isWrite, type LeaseObservation, type WriteRecord } from "./classify.ts";

/** Where the replicas' apiserver requests are known by caller. */
export interface CallerRequestSource {
  requests(): { requests: readonly WriteRecord[]; dropped: number };
}

const LISTED_STALE_WRITES = 20;
const MESH_POLL_MS = 5000;

export class SplitBrainMeasurement implements Measurement {
  readonly name = "split-brain";
  private watch: ResourceWatch | undefined;
  private readonly history: LeaseObservation[] = [];
  private leasePath = "";
  private readonly patronusWrites: WriteRecord[] = [];
  private meshSince = 0;
  private meshDropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();

  private readonly source: CallerRequestSource;

  constructor(source: CallerRequestSource) {
    this.source = source;
  }

  async start(ctx: MeasurementContext): Promise<void> {
    // Registered only for operators that elect a leader (see register.ts).
    const { namespace, name } = ctx.operator.lease ?? { namespace: "", name: "" };
    this.leasePath = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
    const identities = () => new Set(ctx.operator.replicas().map((r) => r.identity));
    this.watch = new ResourceWatch({
      objects: ctx.objects,
      path: this.leasePath,
      kind: "Lease",
      apiVersion: "coordination.k8s.io/v1",
      namespace,
      onEvent: (type, obj, at) => {
        const spec = (obj as CrObject).spec as
          | { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number }
          | undefined;
        const holder = type === "DELETED" ? "" : (spec?.holderIdentity ?? "");
        // The run's Lease by name; where the name is unknown, the Lease its replicas contend for.
        if (name ? obj.metadata?.name !== name : !identities().has(holder)) return;
        const last = this.history.at(-1);
        const renewTime = spec?.renewTime ?? "";
        if (last && last.holder === holder && last.renewTime === renewTime) return;
        this.history.push({ at, holder, renewTime, leaseDurationSeconds: spec?.leaseDurationSeconds ?? 15 });
      },
      onError: (err) => ctx.events.record("split-brain.watch-error", this.name, { error: String(err) }),
    });
    await this.watch.start();
    if (ctx.mesh.requests) {
      // Read from the start: requests before the Lease's first observation are not judged anyway.
      this.timer = setInterval(() => {
        this.polling = this.polling.then(() => this.pollMesh(ctx));
      }, MESH_POLL_MS);
    }
  }

  /** The simulator's request log since the last poll: writes by the run's replicas. */
  private async pollMesh(ctx: MeasurementContext): Promise<void> {
    for (let pages = 0; pages < 100 && ctx.mesh.requests; pages++) {
      const page = await ctx.mesh.requests(this.meshSince).catch(() => undefined);
      if (!page) return;
      if (page.firstSeq > this.meshSince + 1) this.meshDropped += page.firstSeq - this.meshSince - 1;
      for (const r of page.requests) {
        // Held by a partition and never served: it never reached the API's state.
        if (r.heldMs !== undefined && r.outcome !== "answered") continue;
        this.patronusWrites.push({
          caller: r.caller,
          api: "patronus-api",
          method: r.method,
          path: r.name ? `${r.route} (${r.name})` : r.route,
          at: r.atMs + (r.heldMs ?? 0) - performance.timeOrigin,
        });
      }
      if (page.lastSeq <= this.meshSince || page.requests.length === 0) return;
      this.meshSince = page.lastSeq;
    }
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    this.watch?.stop();
    clearInterval(this.timer);
    await this.polling;
    await this.pollMesh(ctx);
    const { requests, dropped } = this.source.requests();
    // The run's replicas only (the harness's own calls are not the operator's writes).
    const replicas = new Set([
      ...requests.map((r) => r.caller),
      ...ctx.operator.replicas().map((r) => r.identity),
    ]);
    const writes = [...requests, ...this.patronusWrites.filter((w) => replicas.has(w.caller))].filter((r) =>
      isWrite(r, this.leasePath),
    );
    const findings = classifyWrites(this.history, writes);
    ctx.store.count("stale_writes", findings.stale.length);
    for (const api of ["apiserver", "patronus-api"])
      ctx.store.count(`stale_writes{api="${api}"}`, findings.stale.filter((w) => w.api === api).length);
    ctx.store.gauge("dual_leader_seconds", findings.dualLeaderSeconds, "s");
    for (const w of findings.stale.slice(0, LISTED_STALE_WRITES)) {
      ctx.events.record(
        "split-brain.stale-write",
        this.name,
        { caller: w.caller, api: w.api, method: w.method, path: w.path, holder: w.holder, why: w.why },
        w.at,
      );
    }
    ctx.events.record("split-brain.checked", this.name, {
      writes: writes.length,
      judged: findings.judged,
      leaseStates: this.history.length,
      // Each change of holder: when (run seconds) and to whom.
      transitions: this.history
        .filter((h, i) => i === 0 || this.history[i - 1]?.holder !== h.holder)
        .map((h) => ({ t: ctx.store.elapsedSeconds(h.at), holder: h.holder })),
      ...(dropped > 0 ? { apiserverRequestsNotKept: dropped } : {}),
      ...(this.meshDropped > 0 ? { patronusRequestsNotRead: this.meshDropped } : {}),
    });
  }
}
