/**
 * Benchmark of the operator's hottest client path: the CPU time per apiserver call of its own
 * RestClient (limiter, metrics, auth headers, status handling on top of undici's dispatcher API)
 * against the bare dispatcher call (`Agent.request`) over one keep-alive Agent, alternating rounds
 * so machine noise hits both alike. Runs against any apiserver, e.g. the embedded one that
 * `patronus-bench up` starts and whose KUBECONFIG it prints. Writes
 * reports/profile-bench-rest-client-<timestamp>.json.
 *
 *   node operator/bench/rest-client.ts KUBECONFIG [calls per round, default 1500] [rounds, default 4]
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { Agent } from "undici";
import { RestClient } from "../runtime/kube/rest-client.ts";
import { createMetrics } from "../runtime/metrics/registry.ts";
import { TokenBucket } from "../runtime/ratelimit/token-bucket.ts";

const CONCURRENCY = 16;
const PATH = "/api/v1/namespaces/default";

async function inParallel(calls: number, fn: () => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < calls) await fn();
    }),
  );
}

async function measure(
  calls: number,
  fn: () => Promise<unknown>,
): Promise<{ cpuUsPerCall: number; wallMsPerCall: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await inParallel(calls, fn);
  const cpu = process.cpuUsage(cpu0);
  return {
    cpuUsPerCall: Math.round(((cpu.user + cpu.system) / calls) * 10) / 10,
    wallMsPerCall: Math.round(((performance.now() - t0) / calls) * 1000) / 1000,
  };
}

async function main(): Promise<void> {
  const [kubeconfig, callsArg, roundsArg] = process.argv.slice(2);
  if (!kubeconfig) {
    process.stderr.write("usage: node operator/bench/rest-client.ts KUBECONFIG [calls] [rounds]\n");
    process.exit(1);
  }
  const calls = Number(callsArg ?? 1500);
  const rounds = Number(roundsArg ?? 4);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const rest = new RestClient(kc, new TokenBucket(100_000, 100_000), createMetrics());
  const server = kc.getCurrentCluster()?.server as string;
  const o: import("node:https").RequestOptions = {};
  await kc.applyToHTTPSOptions(o);
  const agent = new Agent({
    connections: 64,
    keepAliveTimeout: 60_000,
    connect: { ca: o.ca, cert: o.cert, key: o.key },
  });
  const { RequestContext } = await import("@kubernetes/client-node");
  const ctx = new RequestContext(server, "GET");
  await kc.applySecurityAuthentication(ctx);
  const headers = { ...ctx.getHeaders(), accept: "application/json" };
  const viaDispatcher = async () => {
    const res = await agent.request({
      origin: server,
      path: PATH,
      method: "GET",
      headers,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`GET ${PATH}: ${res.statusCode}`);
    return JSON.parse(text);
  };
  const viaRestClient = () => rest.get(PATH);
  // Warm both paths (connections, JIT) before measuring.
  await measure(200, viaRestClient);
  await measure(200, viaDispatcher);
  const restClientRounds = [];
  const dispatcherRounds = [];
  for (let i = 0; i < rounds; i++) {
    restClientRounds.push(await measure(calls, viaRestClient));
    dispatcherRounds.push(await measure(calls, viaDispatcher));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const f = median(restClientRounds.map((r) => r.cpuUsPerCall));
  const d = median(dispatcherRounds.map((r) => r.cpuUsPerCall));
  const report = {
    benchmark: "operator-rest-client",
    at: new Date().toISOString(),
    calls,
    rounds,
    concurrency: CONCURRENCY,
    request: `GET ${PATH}`,
    operatorRestClient: restClientRounds,
    undiciDispatcherRequest: dispatcherRounds,
    medianCpuUsPerCall: { restClient: f, dispatcher: d, ratio: Math.round((d / f) * 1000) / 1000 },
  };
  await agent.close();
  await rest.close();
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace("T", "-")
    .replace(/\.\d+Z$/, "Z");
  const out = resolve("reports", `profile-bench-rest-client-${stamp}.json`);
  await mkdir(dirname(out), { recursive: true });
  // Written aside and renamed, so a reader never sees half a file.
  const tmp = join(dirname(out), `.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(report, null, 2)}\n`);
  await rename(tmp, out);
  process.stdout.write(`${JSON.stringify(report.medianCpuUsPerCall)}\n${out}\n`);
}

await main();
