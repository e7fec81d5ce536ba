/**
 * `patronus-bench mesh --shards 2` as a process: the router's ready line, the same telemetry as
 * the library for the seed, the Patronus request count at the router's /metrics, and every child
 * (replicas, router) gone after SIGTERM.
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
import { isAlive, ProcessSet } from "../../../harness/process/supervisor.ts";
import { call } from "./helpers.ts";

const CLI = fileURLToPath(new URL("../../../harness/cli/main.ts", import.meta.url));
let dir: string;
const procs = new ProcessSet();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "mesh-shards-"));
});
after(async () => {
  await procs.stopAll();
  await rm(dir, { recursive: true, force: true });
});

const values = (s: TelemetrySnapshot) =>
  s.tunnels.map(({ at: _, ...t }) => t).sort((a, b) => (a.id < b.id ? -1 : 1));

test("mesh --shards 2: one endpoint with the single simulator's telemetry; SIGTERM stops every child", async () => {
  const tokenFile = join(dir, "token");
  let out = "";
  let onReady: (line: string) => void = () => {};
  const ready = new Promise<string>((resolve) => {
    onReady = resolve;
  });
  const args = ["mesh", "--shards", "2", "--sites", "40", "--regions", "3", "--seed", "5"];
  const proc = procs.start(
    "mesh-sharded",
    process.execPath,
    [CLI, ...args, "--token-file", tokenFile, "--preload", "--tick-ms", "60000", "--link-events", "0"],
    {
      onOutput: (chunk) => {
        out += chunk;
        const m = out.match(new RegExp(`${READY_PREFIX}(http://\\S+)[^\\n]*\\n`));
        if (m) onReady(m[0]);
      },
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const line = await Promise.race([
    ready,
    proc.exited.then((e) => Promise.reject(new Error(`exited early (${e.code}): ${proc.outputTail()}`))),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not ready in 50 s: ${out}`)), 50_000);
    }),
  ]).finally(() => clearTimeout(timer));
  const [url, ...replicaUrls] = [...line.matchAll(/http:\/\/[\d.]+:\d+/g)].map((m) => m[0]);
  assert.equal(replicaUrls.length, 2, line);
  const token = (await readFile(tokenFile, "utf8")).trim();
  assert.ok(!out.includes(token), "the token is never printed");

  const health = await call(url!, undefined, "GET", "/healthz");
  assert.equal((health.body as { sites: number }).sites, 40);
  const remote = (await call(url!, token, "GET", "/api/v1/telemetry/snapshot")).body as TelemetrySnapshot;
  const lib = await startMeshSimulator({
    sites: 40,
    regions: 3,
    seed: 5,
    preload: true,
    tickMs: 60_000,
    linkEventProbability: 0,
  });
  try {
    assert.equal(remote.tunnels.length, lib.world.tunnels.length);
    assert.deepEqual(values(remote), values(lib.simulation.engine.snapshot()));
  } finally {
    await lib.stop();
  }
  const metrics = await call(url!, undefined, "GET", "/metrics");
  assert.match(
    metrics.text,
    /mesh_http_requests_total\{route="\/api\/v1\/telemetry\/snapshot",method="GET",code="200"\} 1/,
  );
  assert.match(metrics.text, /^mesh_sites 40$/m);

  proc.kill("SIGTERM");
  await proc.exited;
  for (const u of [url!, ...replicaUrls]) {
    await assert.rejects(fetch(`${u}/healthz`, { signal: AbortSignal.timeout(2000) }), `${u} stopped`);
  }
  assert.ok(!isAlive(proc.pid));
});
