import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { HarnessError } from "../errors.ts";
import { loadScenario, validateScenario } from "./load.ts";

const minimal = { name: "t", description: "d", phases: [{ kind: "sleep", duration: "1s" }] };

function scenarioFile(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), "scenario-"));
  const file = join(dir, "mine.ts");
  writeFileSync(file, body);
  return file;
}

describe("scenario validation", () => {
  it("fills defaults and converts durations to ms", () => {
    const def = validateScenario(minimal, "x.ts");
    assert.equal(def.mesh.sites, 50);
    assert.equal(def.operator.leaderElection.leaseDuration, 15_000);
    assert.deepEqual(def.phases[0], { kind: "sleep", duration: 1000 });
  });

  it("names the file, the field path and the expected shape", () => {
    const bad = { ...minimal, phases: [{ kind: "create", count: "many" }] };
    assert.throws(
      () => validateScenario(bad, "/tmp/mine.ts"),
      (err: unknown) =>
        err instanceof HarnessError &&
        err.message.includes("/tmp/mine.ts") &&
        err.message.includes('phases[0].count: expected number, got "many"'),
    );
  });

  it("rejects an unknown phase kind listing the valid ones", () => {
    assert.throws(
      () => validateScenario({ ...minimal, phases: [{ kind: "explode" }] }, "f.ts"),
      /phases\[0\]\.kind: expected one of "create", "churn", "load"/,
    );
  });

  it("rejects unknown fields with their path", () => {
    assert.throws(
      () => validateScenario({ ...minimal, mesh: { sitez: 3 } }, "f.ts"),
      /mesh\.sitez: unknown field/,
    );
  });

  it("rejects a bad duration and a bad threshold at load time", () => {
    assert.throws(
      () => validateScenario({ ...minimal, phases: [{ kind: "sleep", duration: "5 parsecs" }] }, "f.ts"),
      /phases\[0\]\.duration: "5 parsecs" is not a duration/,
    );
    assert.throws(
      () => validateScenario({ ...minimal, thresholds: { site_ready_latency: ["p99<5"] } }, "f.ts"),
      /thresholds\.site_ready_latency\[0\].*unknown aggregation "p99"/,
    );
  });

  it("requires k exactly for a partial topology", () => {
    assert.throws(
      () => validateScenario({ ...minimal, mesh: { topology: { type: "partial" } } }, "f.ts"),
      /mesh\.topology: k is required for partial/,
    );
  });
});

describe("loadScenario", () => {
  it("loads a user's file by path and applies --set and --sites", async () => {
    const file = scenarioFile(
      `export default { name: "mine", description: "x", mesh: { sites: 20 }, checkpoints: [10, 20, 40],
        phases: [{ kind: "create", count: 20 }, { kind: "sleep", duration: "2s" }] };`,
    );
    const { definition } = await loadScenario(file, {
      set: ["operator.qps=80", "phases[1].duration=3s"],
      sites: 30,
    });
    assert.equal(definition.operator.qps, 80);
    assert.deepEqual(definition.phases[1], { kind: "sleep", duration: 3000 });
    assert.equal(definition.mesh.sites, 30);
    assert.equal((definition.phases[0] as { count: number }).count, 30);
    assert.deepEqual(definition.checkpoints, [10, 20, 30]);
  });

  it("checks the embedded cluster's knobs with the scenario, naming each", () => {
    const cluster = (knobs: object) => ({ ...minimal, cluster: { provider: "embedded", knobs } });
    assert.throws(
      () => validateScenario(cluster({ apiserverFeatureGates: "CBOR", etcdQuotaBytes: 5 }), "f.ts"),
      (err: unknown) =>
        err instanceof HarnessError &&
        /cluster\.knobs\.apiserverFeatureGates: Name=true\|false pairs/.test(err.message) &&
        /cluster\.knobs\.etcdQuotaBytes: Too small/.test(err.message),
    );
    assert.throws(
      () => validateScenario(cluster({ maxInflight: 9 }), "f.ts"),
      /cluster\.knobs\.maxInflight: unknown knob \(the embedded cluster's: maxRequestsInflight, /,
    );
    const ok = validateScenario(cluster({ apiserverFeatureGates: "CBORServingAndStorage=true" }), "f.ts");
    assert.equal(ok.cluster.knobs.apiserverFeatureGates, "CBORServingAndStorage=true");
    // Other providers have knobs of their own (or none): not the embedded cluster's to judge.
    validateScenario({ ...minimal, cluster: { provider: "kind", knobs: { anything: 1 } } }, "f.ts");
  });

  it("reports a bad --set like a bad field", async () => {
    const file = scenarioFile(`export default ${JSON.stringify(minimal)};`);
    await assert.rejects(
      loadScenario(file, { set: ["mesh.sites=lots"] }),
      /mesh\.sites: expected number, got "lots"/,
    );
    await assert.rejects(loadScenario(file, { set: ["nokey"] }), /is not key=value/);
  });

  it("names the file when the module cannot be imported or has no default export", async () => {
    const broken = scenarioFile("export default {{{");
    await assert.rejects(
      loadScenario(broken),
      (e: unknown) => e instanceof HarnessError && e.message.includes(broken),
    );
    const empty = scenarioFile("export const x = 1;");
    await assert.rejects(loadScenario(empty), /has no default export/);
  });

  it("suggests the built-ins for an unknown name", async () => {
    await assert.rejects(
      loadScenario("no-such-scenario"),
      (e: unknown) => e instanceof HarnessError && /smoke/.test(e.fix ?? ""),
    );
  });
});

describe("injections", () => {
  it("validates mesh faults against the simulator's own request schemas", () => {
    const inject = (request: unknown, action = "fail") =>
      validateScenario(
        { ...minimal, phases: [{ kind: "inject", inject: { target: "mesh", action, request } }] },
        "f.ts",
      );
    const ok = inject({ target: { kind: "link", site: "site-00000", link: "mpls-0" } });
    assert.equal(ok.phases[0]?.kind, "inject");
    assert.throws(
      () => inject({ target: { kind: "planet", site: "x" } }),
      /phases\[0\]\.inject\.request\.target\.kind/,
    );
    assert.throws(() => inject({ kind: "unavailable" }, "api"), /phases\[0\]\.inject\.request\.durationMs/);
    assert.throws(
      () => inject({}, "explode"),
      /phases\[0\]\.inject\.action: expected one of "fail", "restore"/,
    );
  });

  it("accepts injections scheduled during a load phase", () => {
    const def = validateScenario(
      {
        ...minimal,
        phases: [
          {
            kind: "load",
            executor: { type: "ramping-arrival-rate", stages: [{ target: 20, duration: "10s" }] },
            during: [{ after: "5s", inject: { target: "operator", action: "kill-leader" } }],
          },
        ],
      },
      "f.ts",
    );
    const phase = def.phases[0];
    assert.ok(phase?.kind === "load");
    assert.deepEqual(phase.during[0], {
      after: 5000,
      inject: { target: "operator", action: "kill-leader", signal: "SIGKILL", replica: 0 },
    });
  });
});
