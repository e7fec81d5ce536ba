/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's LeaderElector: try to
 * acquire every retry period; once leader, renew every retry period and give up leadership if no
 * renewal succeeded within the renew deadline. Updates are compare-and-swap on resourceVersion,
 * so two replicas can never both believe they renewed. It should get its own RestClient (own
 * rate limiter) so a busy controller never delays a renewal.
 */
import type { Logger } from "pino";
import { LEASES, resourcePath } from "../kube/resources.ts";
import { isConflict, isNotFound, type RestClient } from "../kube/rest-client.ts";
import { sleep } from "../ratelimit/token-bucket.ts";
import { FencedError, type WriteFence } from "./fence.ts";
import {
  decide,
  type ElectionTimings,
  type LeaderRecord,
  type Observation,
  releasedRecord,
  sameRecord,
  validateTimings,
} from "./record.ts";

interface Lease {
  apiVersion: "coordination.k8s.io/v1";
  kind: "Lease";
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: Partial<LeaderRecord>;
}

export interface ElectorOptions {
  rest: RestClient;
  namespace: string;
  name: string;
  identity: string;
  timings: ElectionTimings;
  logger: Logger;
  onStatus?: (leading: boolean) => void;
  /**
   * Leadership ends at once when the renew loop finds the renew deadline passed since the last
   * successful renewal was sent (a frozen process), as the fence refuses writes from then on
   * (fence.ts). Default true.
   */
  fencing?: boolean;
}

export class LeaderElector {
  private readonly o: ElectorOptions;
  private readonly path: string;
  private observed: Observation | undefined;
  private observedRv: string | undefined;
  private leading = false;
  /** performance.now() when the last successful acquire or renewal was sent. */
  private renewedAt = Number.NEGATIVE_INFINITY;
  private readonly stopCtrl = new AbortController();

  constructor(options: ElectorOptions) {
    validateTimings(options.timings);
    this.o = options;
    this.path = resourcePath(LEASES, options.namespace, options.name);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  get identity(): string {
    return this.o.identity;
  }

  /** Writes are allowed while this replica leads and its last renewal is within the renew deadline. */
  readonly fence: WriteFence = {
    refusal: () => {
      if (!this.leading) return new FencedError("not the leader: write refused");
      const since = performance.now() - this.renewedAt;
      if (since < this.o.timings.renewDeadlineMs) return undefined;
      return new FencedError(
        `lease may have expired: last renewal sent ${Math.round(since)} ms ago, renew deadline ${this.o.timings.renewDeadlineMs} ms; write refused`,
      );
    },
  };

  /** Resolves true once this replica leads, false if stopped first. */
  async acquire(): Promise<boolean> {
    const { retryPeriodMs } = this.o.timings;
    while (!this.stopCtrl.signal.aborted) {
      if (await this.tryAcquireOrRenew()) {
        this.setLeading(true);
        this.o.logger.info({ lease: this.o.name, identity: this.o.identity }, "acquired leadership");
        return true;
      }
      await this.pause(retryPeriodMs * (1 + Math.random() * 0.2));
    }
    return false;
  }

  /**
   * Renews until a renewal round misses its deadline (resolves "lost") or stop() is called
   * ("stopped"). As client-go's renew loop: a round starts a retry period after the last renewal
   * and retries every retry period until the renew deadline; no attempt and no pause runs past
   * that deadline, so leadership is given up at most retry period + renew deadline after the last
   * renewal (12 s with the defaults), inside the lease duration a standby waits out — never a
   * hung request's timeout later. With fencing, writes are refused from the renew deadline after
   * the last renewal was sent (the fence), and a process that was frozen past that moment gives
   * leadership up at once instead of starting a round.
   */
  async holdLeadership(): Promise<"lost" | "stopped"> {
    const { retryPeriodMs, renewDeadlineMs } = this.o.timings;
    while (!this.stopCtrl.signal.aborted) {
      await this.pause(retryPeriodMs);
      if (this.stopCtrl.signal.aborted) break;
      // Frozen (SIGSTOP, a long GC pause) past the renew deadline since the last renewal: the
      // lease may already be another's, so leadership ends before anything else runs.
      const overdue = this.o.fencing !== false && this.fence.refusal() !== undefined;
      if (!overdue && (await this.renewRound(performance.now() + renewDeadlineMs))) continue;
      if (this.stopCtrl.signal.aborted) break;
      this.setLeading(false);
      this.o.logger.error(
        { lease: this.o.name },
        "failed to renew lease within the renew deadline; leadership lost",
      );
      return "lost";
    }
    return "stopped";
  }

  /** Attempts a renewal every retry period until one succeeds or `deadline` passes. */
  private async renewRound(deadline: number): Promise<boolean> {
    const { retryPeriodMs } = this.o.timings;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0 || this.stopCtrl.signal.aborted) return false;
      // The attempt may use the whole rest of the round, as client-go's (its requests run on the
      // round's context; kube-controller-manager gives that client the renew deadline as
      // timeout): a renewal slower than a retry period still counts.
      if (await this.tryAcquireOrRenew(left)) return true;
      await this.pause(Math.min(retryPeriodMs, Math.max(0, deadline - performance.now())));
    }
  }

  stop(): void {
    this.stopCtrl.abort();
  }

  /** Frees the lease so a standby takes over at once instead of after a lease duration. */
  async release(): Promise<void> {
    if (!this.leading) return;
    this.setLeading(false);
    try {
      const lease = await this.o.rest.request<Lease>("GET", this.path, { timeoutMs: 2000 });
      if (lease.spec.holderIdentity !== this.o.identity) return;
      const rec = this.toRecord(lease);
      lease.spec = releasedRecord(rec, new Date());
      await this.o.rest.request("PUT", this.path, { body: lease, timeoutMs: 2000 });
      this.o.logger.info({ lease: this.o.name }, "released leadership");
    } catch (err) {
      this.o.logger.warn(
        { err: String(err) },
        "could not release the lease; standbys take over after it expires",
      );
    }
  }

  /** One attempt; its requests together take at most `budgetMs` (a renew deadline by default). */
  private async tryAcquireOrRenew(budgetMs = this.o.timings.renewDeadlineMs): Promise<boolean> {
    const now = performance.now();
    const end = now + budgetMs;
    const timeoutMs = (): number => Math.max(1, Math.round(end - performance.now()));
    try {
      let lease: Lease;
      try {
        lease = await this.o.rest.request<Lease>("GET", this.path, { timeoutMs: timeoutMs() });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const d = decide(undefined, this.o.identity, this.leaseSeconds(), now, new Date());
        if (d.action === "wait") return false;
        const created = await this.o.rest.request<Lease>("POST", resourcePath(LEASES, this.o.namespace), {
          body: {
            apiVersion: "coordination.k8s.io/v1",
            kind: "Lease",
            metadata: { name: this.o.name, namespace: this.o.namespace },
            spec: d.record,
          },
          timeoutMs: timeoutMs(),
        });
        this.observe(this.toRecord(created), created.metadata.resourceVersion, performance.now());
        this.renewedAt = now;
        return true;
      }
      const rec = this.toRecord(lease);
      if (
        !this.observed ||
        this.observedRv !== lease.metadata.resourceVersion ||
        !sameRecord(this.observed.record, rec)
      ) {
        this.observe(rec, lease.metadata.resourceVersion, now);
      }
      const d = decide(this.observed, this.o.identity, this.leaseSeconds(), now, new Date());
      if (d.action === "wait") {
        if (this.leading) this.setLeading(false);
        return false;
      }
      lease.spec = d.record;
      const updated = await this.o.rest.request<Lease>("PUT", this.path, {
        body: lease,
        timeoutMs: timeoutMs(),
      });
      this.observe(this.toRecord(updated), updated.metadata.resourceVersion, performance.now());
      this.renewedAt = now;
      return true;
    } catch (err) {
      if (!isConflict(err)) this.o.logger.warn({ err: String(err) }, "lease acquire/renew failed");
      return false;
    }
  }

  private observe(record: LeaderRecord, rv: string | undefined, atMs: number): void {
    this.observed = { record, observedAtMs: atMs };
    this.observedRv = rv;
  }

  private toRecord(lease: Lease): LeaderRecord {
    const s = lease.spec;
    return {
      holderIdentity: s.holderIdentity ?? "",
      leaseDurationSeconds: s.leaseDurationSeconds ?? this.leaseSeconds(),
      acquireTime: s.acquireTime ?? "",
      renewTime: s.renewTime ?? "",
      leaseTransitions: s.leaseTransitions ?? 0,
    };
  }

  private leaseSeconds(): number {
    return Math.max(1, Math.round(this.o.timings.leaseDurationMs / 1000));
  }

  private setLeading(v: boolean): void {
    if (this.leading === v) return;
    this.leading = v;
    this.o.onStatus?.(v);
  }

  private pause(ms: number): Promise<void> {
    return sleep(ms, this.stopCtrl.signal).catch(() => {});
  }
}
