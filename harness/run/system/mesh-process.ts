/**
 * Starts the mesh simulator as its own process (so its CPU and RSS are measured apart from the
 * harness) or, for mesh.runtime "container", as the image's simulator command; generates the
 * same world locally from the same parameters (the generator is deterministic in its seed), and
 * adapts its HTTP APIs to the measurements' MeshView.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { API_BASE_PATH } from "../../../contract/patronus-api/v1.ts";
import type { ObservedLimits } from "../../container/limits.ts";
import { HarnessError } from "../../errors.ts";
import { parsePrometheusText } from "../../measure/prometheus/parse.ts";
import type { MeshSiteView, MeshView } from "../../measure/targets.ts";
import type { Dialect } from "../../mesh/api/dialect.ts";
import { FaultClient } from "../../mesh/client/faults.ts";
import { OBSERVER_HEADER } from "../../mesh/faults/schema.ts";
import { generateWorld, type World } from "../../mesh/model/world.ts";
import { READY_PREFIX, readOrCreateToken } from "../../mesh/process.ts";
import type { ProcessSet } from "../../process/supervisor.ts";
import type { ScenarioDefinition } from "../../scenario/schema.ts";
import type { ContainerChoice } from "./runtime.ts";

const MESH_MAIN = fileURLToPath(new URL("../../mesh/main.ts", import.meta.url));

export interface MeshProcess {
  url: string;
  apiUrl: string;
  token: string;
  tokenFile: string;
  faults: FaultClient;
  world: World;
  view: MeshView;
  /** The container's limits as observed (runtime "container"), for results.json. */
  container?: { id: string; observedLimits(): Promise<ObservedLimits> };
  /** Stops the simulator (the process also stops with its ProcessSet). */
  stop(): Promise<void>;
}

/** What the operator under test decides about the simulator (its definition's `patronusApi`). */
export interface SimulatorChoice {
  dialect: Dialect;
}

export function meshTopology(def: ScenarioDefinition) {
  const t = def.mesh.topology;
  return t.type === "partial" ? { kind: "partial" as const, k: t.k ?? 1 } : { kind: t.type };
}

/** The simulator's world, generated here too: the generator is deterministic in its parameters. */
export function scenarioWorld(def: ScenarioDefinition): World {
  return generateWorld({
    sites: def.mesh.sites,
    regions: def.mesh.regions,
    hubsPerRegion: def.mesh.hubsPerRegion,
    topology: meshTopology(def),
    seed: def.mesh.seed,
  });
}

export function topologyFlag(def: ScenarioDefinition): string {
  const t = def.mesh.topology;
  return t.type === "partial" ? `partial:${t.k}` : t.type;
}

export async function startMeshProcess(
  def: ScenarioDefinition,
  runDir: string,
  processes: ProcessSet,
  container?: ContainerChoice,
  choice: SimulatorChoice = { dialect: "reference" },
): Promise<MeshProcess> {
  const world = scenarioWorld(def);
  const tokenFile = join(runDir, "mesh-token");
  const token = await readOrCreateToken(tokenFile);
  if (container) return startMeshContainerFor(def, runDir, world, tokenFile, token, container, choice);
  if (def.mesh.shards > 1) {
    const { startShardedMeshFor } = await import("./mesh-shards.ts");
    return startShardedMeshFor(def, runDir, world, tokenFile, token, processes, choice);
  }
  let resolveReady: (u: string) => void = () => {};
  const ready = new Promise<string>((r) => {
    resolveReady = r;
  });
  const args = [MESH_MAIN, `--token-file=${tokenFile}`, ...simulatorArgs(def, choice), "--port=0"];
  const proc = processes.start("mesh-simulator", process.execPath, args, {
    logFile: join(runDir, "mesh.log"),
    onOutput: (chunk) => {
      const i = chunk.indexOf(READY_PREFIX);
      if (i >= 0) resolveReady(chunk.slice(i + READY_PREFIX.length).split(/\s/)[0] ?? "");
    },
  });
  const exited = proc.exited.then((e) => {
    throw new HarnessError(
      `the mesh simulator exited during start-up (${e.code ?? e.signal}): ${proc.outputTail()}`,
    );
  });
  const url = await Promise.race([
    ready,
    exited,
    timeout(30_000, "the mesh simulator did not report ready within 30 s"),
  ]);
  const faults = new FaultClient({ url, token });
  const apiUrl = `${url}${API_BASE_PATH}`;
  return {
    url,
    apiUrl,
    token,
    tokenFile,
    faults,
    world,
    view: meshView(url, apiUrl, token, faults, () => (proc.running ? proc.pid : undefined), choice.dialect),
    stop: async () => {
      await proc.stop();
    },
  };
}

/** The simulator's flags for this scenario, other than the token file and the listen address. */
export function simulatorArgs(
  def: ScenarioDefinition,
  choice: SimulatorChoice = { dialect: "reference" },
): string[] {
  return [
    `--dialect=${choice.dialect}`,
    `--sites=${def.mesh.sites}`,
    `--regions=${def.mesh.regions}`,
    `--hubs-per-region=${def.mesh.hubsPerRegion}`,
    `--topology=${topologyFlag(def)}`,
    `--seed=${def.mesh.seed}`,
    `--tick-ms=${def.mesh.telemetryTick}`,
    `--link-events=${def.mesh.linkEventProbability}`,
    `--rate=${def.mesh.apiRate}`,
    `--burst=${def.mesh.apiRate * 2}`,
  ];
}

async function startMeshContainerFor(
  def: ScenarioDefinition,
  runDir: string,
  world: World,
  tokenFile: string,
  token: string,
  container: ContainerChoice,
  choice: SimulatorChoice,
): Promise<MeshProcess> {
  const { startMeshContainer } = await import("../../container/mesh-container.ts");
  const c = await startMeshContainer({
    image: container.image,
    tokenFile,
    args: simulatorArgs(def, choice),
    ...(container.limits ? { limits: container.limits } : {}),
    logFile: join(runDir, "mesh.log"),
  });
  const faults = new FaultClient({ url: c.url, token });
  const apiUrl = `${c.url}${API_BASE_PATH}`;
  return {
    url: c.url,
    apiUrl,
    token,
    tokenFile,
    faults,
    world,
    view: meshView(c.url, apiUrl, token, faults, () => c.pid, choice.dialect),
    container: { id: c.id, observedLimits: () => c.observedLimits() },
    stop: () => c.stop(),
  };
}

function timeout(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new HarnessError(message)), ms).unref());
}

export function meshView(
  url: string,
  apiUrl: string,
  token: string,
  faults: FaultClient,
  pid: () => number | undefined,
  dialect: Dialect = "reference",
): MeshView {
  // Measurements observe the mesh: injected API faults are for the operator, not for them.
  const headers = { authorization: `Bearer ${token}`, [OBSERVER_HEADER]: "harness" };
  /** A Patronus API read as an observer; undefined when the API answers 404. */
  const read = async <T>(path: string, what: string): Promise<T | undefined> => {
    const res = await fetch(`${apiUrl}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new HarnessError(`${what}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  const common = {
    pid,
    apiUrl,
    dialect,
    events: async (since: number) => (await faults.events(since, { limit: 5000 })).events,
    requests: (since: number) => faults.requests(since, { limit: 5000 }),
    callerCounts: async () => {
      const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) return undefined;
      const { samples } = parsePrometheusText(await res.text(), [
        "patronus_api_requests_total",
        "patronus_api_rate_limited_total",
        "mesh_http_requests_aborted_total",
      ]);
      const byCaller = (name: string) => {
        const out: Record<string, number> = {};
        for (const s of samples)
          if (s.name === name && s.labels.caller)
            out[s.labels.caller] = (out[s.labels.caller] ?? 0) + s.value;
        return out;
      };
      return {
        requests: byCaller("patronus_api_requests_total"),
        rateLimited: byCaller("patronus_api_rate_limited_total"),
        aborted: samples
          .filter(
            (s) =>
              s.name === "mesh_http_requests_aborted_total" && (s.labels.route ?? "").startsWith("/api/"),
          )
          .reduce((sum, s) => sum + s.value, 0),
      };
    },
    requestCount: async () => {
      const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2000) });
      if (!res.ok) return undefined;
      const { samples } = parsePrometheusText(await res.text(), ["mesh_http_requests_total"]);
      // Patronus API calls only: the harness's own fault/event polling must not count.
      return samples
        .filter((s) => s.name === "mesh_http_requests_total" && (s.labels.route ?? "").startsWith("/api/"))
        .reduce((sum, s) => sum + s.value, 0);
    },
  };
  if (dialect === "patronus-rs") {
    // The operator's API has no reads: what it sent is read from the simulator's control side.
    return {
      ...common,
      sites: async () =>
        new Map((await faults.received()).sites.map((s) => [s.name, { name: s.name, spec: s.body }])),
      policies: async () =>
        new Map((await faults.received()).policies.map((p) => [p.name, { name: p.name, spec: p.body }])),
      policy: async (name) => {
        const held = (await faults.received()).policies.find((p) => p.name === name);
        return held && { name: held.name, spec: held.body };
      },
    };
  }
  return {
    ...common,
    sites: async () => {
      const out = new Map<string, MeshSiteView>();
      let cont: string | undefined;
      do {
        const q = new URLSearchParams({ limit: "500", ...(cont ? { continue: cont } : {}) });
        const page = await read<{
          items: Array<{ name: string; spec: Record<string, unknown> }>;
          continue?: string;
        }>(`/sites?${q}`, "listing mesh sites");
        if (!page) throw new HarnessError("listing mesh sites: HTTP 404");
        for (const s of page.items) out.set(s.name, { name: s.name, spec: s.spec });
        cont = page.continue;
      } while (cont);
      return out;
    },
    tunnels: async (mesh) => {
      const set = await read<{ tunnels: Array<{ id: string }> }>(
        `/meshes/${encodeURIComponent(mesh)}/tunnels`,
        `reading mesh ${mesh}'s tunnels`,
      );
      return new Set(set?.tunnels.map((t) => t.id));
    },
    policy: async (name) => {
      const policy = await read<{ name: string; spec: Record<string, unknown> }>(
        `/policies/${encodeURIComponent(name)}`,
        `reading mesh policy ${name}`,
      );
      return policy && { name: policy.name, spec: policy.spec };
    },
  };
}
