import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { FaultInjector, type FaultTargets } from "./injector.ts";

/** The process state letter from /proc (T: stopped by a signal). */
function state(pid: number): string {
  return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[0]!;
}

describe("the fault injector's pause", () => {
  const children: ChildProcess[] = [];
  const child = () => {
    const c = spawn("sleep", ["60"]);
    children.push(c);
    return c;
  };
  after(() => {
    for (const c of children) c.kill("SIGKILL");
  });

  function targets(
    replicas: FaultTargets["replicas"],
    holders: string[],
    signal = new AbortController().signal,
  ) {
    const events: Array<{ kind: string; detail?: Record<string, unknown> }> = [];
    const t: FaultTargets = {
      replicas,
      leaderIdentity: async () => holders.shift() ?? holders.at(-1),
      mesh: { pid: () => undefined },
      controlPlanePids: () => ({}),
      links: undefined,
      events: { record: (kind, _source, detail) => events.push({ kind, ...(detail ? { detail } : {}) }) },
      signal,
    };
    return { t, events };
  }

  it("freezes the leader for the duration and thaws it, recording both", async () => {
    const c = child();
    const { t, events } = targets(() => [{ index: 0, identity: "op-0", pid: c.pid }], ["op-0"]);
    const pausing = new FaultInjector(t).inject({
      type: "pause",
      target: { kind: "operator", replica: "leader" },
      durationMs: 400,
    });
    await sleep(150);
    assert.equal(state(c.pid!), "T", "stopped while paused");
    await pausing;
    assert.notEqual(state(c.pid!), "T", "running again after");
    assert.deepEqual(
      events.map((e) => e.kind),
      ["fault.pause", "fault.resume"],
    );
  });

  it("pauses whoever leads next when the Lease holder's process is gone", async () => {
    const gone = child();
    gone.kill("SIGKILL");
    await new Promise((r) => gone.once("exit", r));
    const next = child();
    const { t } = targets(
      () => [
        { index: 0, identity: "op-0", pid: gone.pid },
        { index: 1, identity: "op-1", pid: next.pid },
      ],
      ["op-0", "op-1"],
    );
    const pausing = new FaultInjector(t).inject({
      type: "pause",
      target: { kind: "operator", replica: "leader" },
      durationMs: 300,
    });
    await sleep(120);
    assert.equal(state(next.pid!), "T");
    await pausing;
  });

  it("thaws what is still frozen when the run ends early (endAll)", async () => {
    const c = child();
    const stop = new AbortController();
    const { t } = targets(() => [{ index: 0, identity: "op-0", pid: c.pid }], ["op-0"], stop.signal);
    const injector = new FaultInjector(t);
    const pausing = injector.inject({
      type: "pause",
      target: { kind: "operator", replica: 0 },
      durationMs: 60_000,
    });
    await sleep(150);
    assert.equal(state(c.pid!), "T");
    await injector.endAll();
    assert.notEqual(state(c.pid!), "T");
    stop.abort();
    await pausing;
  });
});
