import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadScenario } from "../scenario/load.ts";
import { parseProfileOptions } from "./options.ts";
import { resolveWindow } from "./window.ts";

describe("profiling window and options", () => {
  it("defaults to the main load phase", async () => {
    const smoke = (await loadScenario("smoke")).definition;
    assert.deepEqual(resolveWindow(smoke, undefined), { from: "mixed-load", to: "mixed-load" });
    const churn = (await loadScenario("churn")).definition;
    assert.deepEqual(resolveWindow(churn, undefined), { from: "churn", to: "churn" });
  });

  it("without a load phase, spans the first create phase and the wait-for phases settling it", async () => {
    const scale = (await loadScenario("scale-1000")).definition;
    assert.deepEqual(resolveWindow(scale, undefined), { from: "burst", to: "paths-ready" });
  });

  it("takes a phase or FROM..TO, and names the phases when one does not exist", async () => {
    const smoke = (await loadScenario("smoke")).definition;
    assert.deepEqual(resolveWindow(smoke, "create-sites..paths-ready"), {
      from: "create-sites",
      to: "paths-ready",
    });
    assert.throws(
      () => resolveWindow(smoke, "warp"),
      (err: Error & { fix?: string }) =>
        /scenario smoke has no phase "warp"/.test(err.message) && /mixed-load/.test(err.fix ?? ""),
    );
    assert.throws(() => resolveWindow(smoke, "paths-ready..create-sites"), /runs before/);
  });

  it("rejects an unknown tool with the list of tools", () => {
    assert.throws(
      () => parseProfileOptions({ tool: "perf" }),
      (err: Error & { fix?: string }) =>
        err.message === '--tool: unknown profiling tool "perf"' &&
        err.fix === "use one of cpu, heap, flame, doctor",
    );
    assert.equal(parseProfileOptions({}).tool, "cpu");
  });
});
