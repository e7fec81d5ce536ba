import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, parseConfig } from "./flags.ts";

const base = ["--kubeconfig", "/k", "--patronus-url", "http://127.0.0.1:1", "--patronus-token-file", "/t"];

describe("operator flags", () => {
  it("applies controller-runtime defaults", () => {
    const c = parseConfig(base, {});
    assert.equal(c.leaderElect, false);
    assert.equal(c.leaderElectLeaseDuration, 15_000);
    assert.equal(c.leaderElectRenewDeadline, 10_000);
    assert.equal(c.leaderElectRetryPeriod, 2_000);
    assert.equal(c.pathStatusQps, c.qps / 2);
    assert.equal(c.kubeApiContentType, "application/json");
    assert.equal(
      parseConfig([...base, "--kube-api-content-type=application/cbor"], {}).kubeApiContentType,
      "application/cbor",
    );
  });

  it("parses durations and booleans, env as fallback", () => {
    const c = parseConfig([...base, "--leader-elect", "true", "--leader-elect-lease-duration", "4s"], {
      LEADER_ELECT_RETRY_PERIOD: "500ms",
      CONCURRENCY: "8",
    });
    assert.equal(c.leaderElect, true);
    assert.equal(c.leaderElectLeaseDuration, 4000);
    assert.equal(c.leaderElectRetryPeriod, 500);
    assert.equal(c.concurrency, 8);
  });

  it("accepts a bare --leader-elect, as controller-runtime's flag does", () => {
    assert.equal(parseConfig(["--leader-elect", ...base], {}).leaderElect, true);
    assert.equal(parseConfig([...base, "--leader-elect"], {}).leaderElect, true);
    assert.equal(parseConfig([...base, "--leader-elect=false"], {}).leaderElect, false);
  });

  it("takes a per-reconcile CPU cost in ms, bounded", () => {
    assert.equal(parseConfig(base, {}).reconcileCpuMs, 0);
    assert.equal(parseConfig([...base, "--reconcile-cpu-ms", "0.5"], {}).reconcileCpuMs, 0.5);
    assert.throws(() => parseConfig([...base, "--reconcile-cpu-ms", "5000"], {}), /--reconcile-cpu-ms/);
  });

  it("names the bad flag", () => {
    assert.throws(
      () => parseConfig([...base, "--qps", "-1"], {}),
      (e: unknown) => e instanceof ConfigError && /--qps/.test(e.message),
    );
    assert.throws(() => parseConfig(["--kubeconfig", "/k"], {}), /--patronus-url/);
    assert.throws(
      () => parseConfig([...base, "--leader-elect-lease-duration", "soon"], {}),
      /--leader-elect-lease-duration.*not a duration/,
    );
    assert.throws(() => parseConfig([...base, "--bogus", "1"], {}), /bogus/);
    assert.throws(
      () => parseConfig([...base, "--kube-api-content-type", "cbor"], {}),
      /--kube-api-content-type: .*application\/cbor/,
    );
    assert.throws(
      () => parseConfig([...base, "--qps", "40", "--path-status-qps", "50"], {}),
      /--path-status-qps: must not exceed --qps/,
    );
  });
});
