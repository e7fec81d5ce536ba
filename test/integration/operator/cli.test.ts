/**
 * The harness describes the reference operator's command line on its own
 * (harness/operators/builtin/reference/cli.ts); the operator parses it with its own parser. The
 * two must accept the same flags and values, agree on the Lease and on the version.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  flagProblems,
  leaseOf,
  OPERATOR_FLAGS,
  operatorVersion,
  tuningArgs,
} from "../../../harness/operators/builtin/reference/cli.ts";
import { parseConfig, USAGE } from "../../../operator/config/flags.ts";
import { OPERATOR_VERSION } from "../../../operator/version.ts";

const required = [
  "--kubeconfig",
  "/k",
  "--patronus-url",
  "http://127.0.0.1:1",
  "--patronus-token-file",
  "/t",
];

function operatorAccepts(args: readonly string[]): boolean {
  try {
    parseConfig([...required, ...args], {});
    return true;
  } catch {
    return false;
  }
}

describe("the harness's description of the reference operator's command line", () => {
  it("names every flag the operator has, and no other", () => {
    const operatorFlags = [...USAGE.matchAll(/--([a-z-]+) \(env/g)].map((m) => m[1]).sort();
    assert.deepEqual(Object.keys(OPERATOR_FLAGS).sort(), operatorFlags);
  });

  it("accepts and refuses the values the operator accepts and refuses", () => {
    const cases: string[][] = [
      [],
      ["--leader-elect"],
      ["--leader-elect", "true", "--leader-elect-lease-duration", "4s"],
      ["--leader-elect-renew-deadline=2500ms", "--leader-elect-retry-period", "1m"],
      ["--leader-elect-lease-duration", "soon"],
      ["--concurrency", "8", "--qps", "12.5", "--burst", "30"],
      ["--concurrency", "0"],
      ["--qps", "-1"],
      ["--leader-elect-fencing=false"],
      ["--leader-elect-fencing", "maybe"],
      ["--log-level", "debug"],
      ["--log-level", "loud"],
      ["--kube-api-content-type", "application/cbor"],
      ["--kube-api-content-type", "text/plain"],
      ["--namespace", "Bad_Name"],
      ["--patronus-max-retries", "11"],
      ["--reconcile-delay-ms", "250"],
      ["--bogus", "1"],
      tuningArgs({
        leaderElection: { leaseDuration: 4000, renewDeadline: 3000, retryPeriod: 500 },
        concurrency: 4,
        pathConcurrency: 8,
        qps: 100,
        burst: 200,
        workqueueQps: 10,
        workqueueBurst: 100,
        extraArgs: ["--leader-elect-id", "bench"],
      }),
    ];
    for (const args of cases) {
      assert.equal(flagProblems([...required, ...args]).length === 0, operatorAccepts(args), args.join(" "));
    }
  });

  it("derives the Lease the operator leads through", () => {
    for (const args of [
      [],
      ["--leader-elect-id", "bench"],
      ["--leader-elect-id=x", "--leader-elect-namespace", "ops"],
    ]) {
      const config = parseConfig([...required, ...args], {});
      assert.deepEqual(leaseOf(args), { namespace: config.leaderElectNamespace, name: config.leaderElectId });
    }
  });

  it("reads the operator's version", () => {
    assert.equal(operatorVersion(), OPERATOR_VERSION);
  });
});
