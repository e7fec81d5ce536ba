/**
 * The elector's deadline contract, against an in-memory Lease endpoint whose renewals can be
 * made to hang (an apiserver whose etcd is gone answers reads from its cache and lets writes time
 * out). Leader election against a real kube-apiserver is covered by
 * test/integration/operator/failover.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pino } from "pino";
import { KubeApiError, type RestClient } from "../kube/rest-client.ts";
import { sleep } from "../ratelimit/token-bucket.ts";
import { LeaderElector } from "./elector.ts";

// biome-ignore lint/suspicious/noExplicitAny: a Lease is plain JSON here
type Json = any;

class LeaseEndpoint {
  lease: Json | undefined;
  private rv = 0;
  /** Writes wait out their timeout instead of answering. */
  hangWrites = false;
  /** Reads answer only after this long (within their timeout). */
  slowReadsMs = 0;
  /** Writes answer after this long, or time out if their timeout is shorter. */
  slowWritesMs = 0;

  readonly rest = {
    request: async (verb: string, path: string, options: { body?: Json; timeoutMs?: number } = {}) => {
      if (verb === "GET") {
        if (this.slowReadsMs > 0) await sleep(Math.min(this.slowReadsMs, (options.timeoutMs ?? 30_000) - 20));
        if (!this.lease) throw new KubeApiError(verb, path, 404, "NotFound", "no lease");
        return structuredClone(this.lease);
      }
      if (this.slowWritesMs > 0) {
        const timeoutMs = options.timeoutMs ?? 30_000;
        await sleep(Math.min(this.slowWritesMs, timeoutMs));
        if (this.slowWritesMs >= timeoutMs)
          throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
      }
      if (this.hangWrites) {
        await sleep(options.timeoutMs ?? 30_000);
        throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
      }
      this.rv++;
      this.lease = {
        ...structuredClone(options.body),
        metadata: { ...options.body.metadata, resourceVersion: String(this.rv) },
      };
      return structuredClone(this.lease);
    },
  } as unknown as RestClient;
}

/** An elector of identity "me" on the fake Lease endpoint, with the given timings. */
function electorOn(
  endpoint: LeaseEndpoint,
  timings: ConstructorParameters<typeof LeaderElector>[0]["timings"],
  fencing = true,
) {
  return new LeaderElector({
    rest: endpoint.rest,
    namespace: "ns",
    name: "lease",
    identity: "me",
    timings,
    logger: pino({ level: "silent" }),
    fencing,
  });
}

/** Blocks this thread as SIGSTOP would freeze the process: no timer or callback runs meanwhile. */
function freeze(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe("LeaderElector", () => {
  it("gives leadership up within retry period + renew deadline even when renewals hang, inside the lease", async () => {
    const endpoint = new LeaseEndpoint();
    const timings = { leaseDurationMs: 3500, renewDeadlineMs: 2000, retryPeriodMs: 650 };
    const elector = electorOn(endpoint, timings);
    assert.equal(await elector.acquire(), true);
    assert.equal(endpoint.lease.spec.holderIdentity, "me");

    // A struggling apiserver: reads answer slowly, writes time out. Left to run their own
    // timeouts, the attempts overrun: the check just before the deadline is followed by a pause
    // and a 1.25 s attempt, and the leader gives up only at 3.8 s, after a standby could lead.
    endpoint.slowReadsMs = 600;
    endpoint.hangWrites = true;
    const lastRenew = performance.now();
    const end = await elector.holdLeadership();
    const heldMs = performance.now() - lastRenew;

    assert.equal(end, "lost");
    assert.equal(elector.isLeader, false);
    assert.ok(
      heldMs >= timings.renewDeadlineMs,
      `gave up after ${Math.round(heldMs)} ms, before the deadline`,
    );
    assert.ok(
      heldMs < timings.leaseDurationMs,
      `still leader ${Math.round(heldMs)} ms after the last renewal; a standby may lead after ${timings.leaseDurationMs} ms`,
    );
  });

  it("keeps leadership through renewals slower than a retry period that land inside the round", async () => {
    const endpoint = new LeaseEndpoint();
    const elector = electorOn(endpoint, { leaseDurationMs: 3500, renewDeadlineMs: 2000, retryPeriodMs: 400 });
    assert.equal(await elector.acquire(), true);
    // An apiserver answering writes in 0.9 s: slow, but inside the 2 s renew deadline. Cut at a
    // retry period (0.4 s), every attempt would time out and leadership would go after ~2.4 s.
    endpoint.slowWritesMs = 900;
    const held = elector.holdLeadership();
    let outcome: string | undefined;
    void held.then((o) => {
      outcome = o;
    });
    await sleep(3500);
    assert.equal(outcome, undefined, "leadership was given up");
    assert.equal(elector.isLeader, true);
    elector.stop();
    assert.equal(await held, "stopped");
  });

  it("keeps renewing while writes succeed, and stops on stop()", async () => {
    const endpoint = new LeaseEndpoint();
    const elector = electorOn(endpoint, { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 100 });
    assert.equal(await elector.acquire(), true);
    const first = endpoint.lease.spec.renewTime;
    const held = elector.holdLeadership();
    await sleep(600);
    assert.notEqual(endpoint.lease.spec.renewTime, first, "renewed");
    elector.stop();
    assert.equal(await held, "stopped");
  });

  it("fences a leader frozen past the renew deadline: writes refused and leadership given up at once, without another renewal", async () => {
    const endpoint = new LeaseEndpoint();
    const timings = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };
    const elector = electorOn(endpoint, timings);
    assert.equal(await elector.acquire(), true);
    assert.equal(elector.fence.refusal(), undefined, "a fresh leader may write");
    const renewed = endpoint.lease.spec.renewTime;
    const held = elector.holdLeadership();
    freeze(timings.renewDeadlineMs + 100);
    assert.match(String(elector.fence.refusal()?.message), /lease may have expired/);
    assert.equal(await held, "lost");
    assert.equal(
      endpoint.lease.spec.renewTime,
      renewed,
      "no renewal after the freeze: it may be another's lease",
    );
    assert.match(String(elector.fence.refusal()?.message), /not the leader/);
  });

  it("without fencing, a leader frozen past the renew deadline renews and leads on as if nothing happened", async () => {
    const endpoint = new LeaseEndpoint();
    const timings = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };
    const elector = electorOn(endpoint, timings, false);
    assert.equal(await elector.acquire(), true);
    const renewed = endpoint.lease.spec.renewTime;
    const held = elector.holdLeadership();
    freeze(timings.renewDeadlineMs + 100);
    await sleep(600);
    assert.equal(elector.isLeader, true);
    assert.notEqual(endpoint.lease.spec.renewTime, renewed);
    elector.stop();
    assert.equal(await held, "stopped");
  });
});
