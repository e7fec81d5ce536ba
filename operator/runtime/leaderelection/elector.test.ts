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

  readonly rest = {
    request: async (verb: string, path: string, options: { body?: Json; timeoutMs?: number } = {}) => {
      if (verb === "GET") {
        if (!this.lease) throw new KubeApiError(verb, path, 404, "NotFound", "no lease");
        return structuredClone(this.lease);
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

describe("LeaderElector", () => {
  it("gives leadership up at the renew deadline even when a renewal hangs, well inside the lease", async () => {
    const endpoint = new LeaseEndpoint();
    // A retry period close to the deadline: an attempt started just before it, left to run its
    // full timeout, would end past the lease duration a standby waits out.
    const timings = { leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 2400 };
    const elector = new LeaderElector({
      rest: endpoint.rest,
      namespace: "ns",
      name: "lease",
      identity: "me",
      timings,
      logger: pino({ level: "silent" }),
    });
    assert.equal(await elector.acquire(), true);
    assert.equal(endpoint.lease.spec.holderIdentity, "me");

    endpoint.hangWrites = true;
    const lastRenew = performance.now();
    const end = await elector.holdLeadership();
    const heldMs = performance.now() - lastRenew;

    assert.equal(end, "lost");
    assert.equal(elector.isLeader, false);
    assert.ok(
      heldMs >= timings.renewDeadlineMs - 50,
      `gave up after ${Math.round(heldMs)} ms, before the deadline`,
    );
    // Without the bound, the attempt at 2.4 s runs its 2.4 s timeout: lost at 4.8 s, past the lease.
    assert.ok(
      heldMs < timings.leaseDurationMs,
      `still leader ${Math.round(heldMs)} ms after the last renewal; a standby may lead after ${timings.leaseDurationMs} ms`,
    );
  });

  it("keeps renewing while writes succeed, and stops on stop()", async () => {
    const endpoint = new LeaseEndpoint();
    const elector = new LeaderElector({
      rest: endpoint.rest,
      namespace: "ns",
      name: "lease",
      identity: "me",
      timings: { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 100 },
      logger: pino({ level: "silent" }),
    });
    assert.equal(await elector.acquire(), true);
    const first = endpoint.lease.spec.renewTime;
    const held = elector.holdLeadership();
    await sleep(600);
    assert.notEqual(endpoint.lease.spec.renewTime, first, "renewed");
    elector.stop();
    assert.equal(await held, "stopped");
  });
});
