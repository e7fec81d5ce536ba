import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_LEASE,
  flagProblems,
  leaseOf,
  operatorProcessArgs,
  operatorVersion,
  parseFlags,
} from "./cli.ts";

describe("the reference operator's command line", () => {
  it("reads flags in both forms, bare booleans, the last one winning", () => {
    const { values, strays } = parseFlags([
      "--qps",
      "5",
      "--leader-elect",
      "--burst=9",
      "--qps",
      "6",
      "--identity",
    ]);
    assert.deepEqual(Object.fromEntries(values), {
      qps: "6",
      "leader-elect": "true",
      burst: "9",
      identity: "",
    });
    assert.deepEqual(strays, []);
  });

  it("names each flag it would refuse and why", () => {
    assert.deepEqual(flagProblems(["--qps", "5", "--leader-elect"]), []);
    assert.deepEqual(flagProblems(["--qps", "fast", "--bogus", "1", "stray"]), [
      '"stray" is not a flag',
      '--qps "fast": must be a positive number',
      "--bogus: not a flag of the reference operator",
    ]);
    assert.match(flagProblems(["--leader-elect-lease-duration", "soon"])[0] ?? "", /must be a duration/);
  });

  it("finds the Lease in the flags, else the default", () => {
    assert.deepEqual(leaseOf([]), DEFAULT_LEASE);
    assert.deepEqual(leaseOf(["--leader-elect-id=bench", "--leader-elect-namespace", "ops"]), {
      namespace: "ops",
      name: "bench",
    });
  });

  it("runs the entry script with the V8 options before it and the caller's flags last", () => {
    const args = operatorProcessArgs({
      kubeconfig: "/k",
      patronusUrl: "http://127.0.0.1:1",
      patronusTokenFile: "/t",
      namespace: "ns",
      metricsPort: 9000,
      leaderElect: true,
      identity: "operator-0-0",
      extraArgs: ["--qps", "7"],
    });
    const script = args.findIndex((a) => a.endsWith("operator/main.ts"));
    assert.ok(script > 0 && args.slice(0, script).every((a) => a.startsWith("--")));
    assert.deepEqual(flagProblems(args.slice(script + 1)), []);
    assert.deepEqual(args.slice(-2), ["--qps", "7"]);
  });

  it("reads a version", () => {
    assert.match(operatorVersion(), /^\d+\.\d+\.\d+/);
  });
});
