/**
 * `patronus-bench mesh` as a process: ready line with the URL, token from the token file (never
 * printed), /healthz and /metrics, the same telemetry as the library for the same seed, and a clean
 * exit on SIGTERM.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { TelemetrySnapshot } from "../../../contract/patronus-api/v1.ts";
import { startMeshSimulator } from "../../../harness/mesh/index.ts";
import { READY_PREFIX } from "../../../harness/mesh/process.ts";
import { ProcessSet } from "../../../harness/process/supervisor.ts";
import { call } from "./helpers.ts";

const CLI = fileURLToPath(new URL("../../../harness/cli/main.ts", import.meta.url));
// The simulator-only entry registers the same command module; it starts without the whole CLI.
const MESH_MAIN = fileURLToPath(new URL("../../../harness/mesh/main.ts", import.meta.url));
let dir: string;
const procs = new ProcessSet();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "mesh-process-"));
});
after(async () => {
  await procs.stopAll();
  await rm(dir, { recursive: true, force: true });
});

const values = (s: TelemetrySnapshot) =>
  s.tunnels.map(({ at: _, ...t }) => t).sort((a, b) => (a.id < b.id ? -1 : 1));

test("runs, serves with the token file, matches the library's telemetry for the seed, stops on SIGTERM", async () => {
  const tokenFile = join(dir, "token");
  let out = "";
  let onReady: (url: string) => void = () => {};
  const ready = new Promise<string>((resolve) => {
    onReady = resolve;
  });
  const args = [
    "mesh",
    "--sites",
    "60",
    "--regions",
    "3",
    "--seed",
    "11",
    "--port",
    "0",
    "--token-file",
    tokenFile,
    "--preload",
    "--tick-ms",
    "60000",
  ];
  const proc = procs.start("mesh", process.execPath, [CLI, ...args], {
    onOutput: (chunk) => {
      out += chunk;
      const m = out.match(new RegExp(`${READY_PREFIX}(http://\\S+)`));
      if (m) onReady(m[1]!);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const url = await Promise.race([
    ready,
    proc.exited.then((e) => Promise.reject(new Error(`exited early (${e.code}): ${proc.outputTail()}`))),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not ready in 20 s: ${out}`)), 20_000);
    }),
  ]).finally(() => clearTimeout(timer));
  const token = (await readFile(tokenFile, "utf8")).trim();
  assert.ok(token.length >= 16);
  assert.ok(!out.includes(token), "the token is never printed");

  const health = await call(url, undefined, "GET", "/healthz");
  assert.equal((health.body as { sites: number }).sites, 60);
  const metrics = await call(url, undefined, "GET", "/metrics");
  assert.match(metrics.text, /^mesh_sites 60$/m);
  assert.match(metrics.text, /mesh_tunnels_modeled \d+/);
  assert.equal((await call(url, "wrong-token-wrong-token", "GET", "/api/v1/sites")).status, 401);

  const remote = (await call(url, token, "GET", "/api/v1/telemetry/snapshot")).body as TelemetrySnapshot;
  const lib = await startMeshSimulator({ sites: 60, regions: 3, seed: 11, preload: true, tickMs: 60_000 });
  const other = await startMeshSimulator({ sites: 60, regions: 3, seed: 12, preload: true, tickMs: 60_000 });
  try {
    const local = lib.simulation.engine.snapshot();
    assert.ok(remote.tunnels.length > 100);
    assert.deepEqual(values(remote), values(local), "same seed → same telemetry, across processes");
    assert.notDeepEqual(
      values(other.simulation.engine.snapshot()),
      values(local),
      "another seed → other telemetry",
    );
  } finally {
    await lib.stop();
    await other.stop();
  }

  proc.kill("SIGTERM");
  const exit = await proc.exited;
  assert.equal(exit.code, 0, proc.outputTail());
  assert.match(out, /stopping \(SIGTERM\)/);
});

test("bad flags fail with one line naming the option, before creating a token file", async () => {
  const tokenFile = join(dir, "never");
  const proc = procs.start("mesh-bad", process.execPath, [
    MESH_MAIN,
    "--sites",
    "3",
    "--regions",
    "5",
    "--token-file",
    tokenFile,
  ]);
  const exit = await proc.exited;
  assert.equal(exit.code, 1);
  assert.match(proc.outputTail(), /regions/);
  await assert.rejects(readFile(tokenFile));
});
