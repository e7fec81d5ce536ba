/**
 * Benchmark for the hot path the profiles point at: the operator's RestClient sends every
 * apiserver call through undici's WHATWG `fetch` (Request/Response/Headers objects, a web-stream
 * body, an AbortSignal.timeout timer per call). It measures the CPU time per call of the
 * operator's own RestClient against the same calls made with undici's dispatcher API
 * (`Agent.request`, the candidate fix) over one shared keep-alive Agent, on the real embedded
 * apiserver, alternating rounds so machine noise hits both alike. Writes
 * reports/profile-bench-rest-client-<timestamp>.json.
 *
 *   node harness/profile/bench/rest-client-fetch.ts [calls per round, default 1500] [rounds, default 4]
 */
import { resolve } from "node:path";
import { Agent } from "undici";
import { RestClient } from "../../../operator/runtime/kube/rest-client.ts";
import { createMetrics } from "../../../operator/runtime/metrics/registry.ts";
import { TokenBucket } from "../../../operator/runtime/ratelimit/token-bucket.ts";
import { startCluster } from "../../cluster/index.ts";
import { writeFileAtomic } from "../../results/write.ts";
import { timestamp } from "../../run/output-dir.ts";

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
  const calls = Number(process.argv[2] ?? 1500);
  const rounds = Number(process.argv[3] ?? 4);
  const cluster = await startCluster({});
  try {
    const kc = cluster.kubeConfig();
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
    const viaFetch = () => rest.get(PATH);
    // Warm both paths (connections, JIT) before measuring.
    await measure(200, viaFetch);
    await measure(200, viaDispatcher);
    const fetchRounds = [];
    const dispatcherRounds = [];
    for (let i = 0; i < rounds; i++) {
      fetchRounds.push(await measure(calls, viaFetch));
      dispatcherRounds.push(await measure(calls, viaDispatcher));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const f = median(fetchRounds.map((r) => r.cpuUsPerCall));
    const d = median(dispatcherRounds.map((r) => r.cpuUsPerCall));
    const report = {
      benchmark: "profile-rest-client-fetch",
      at: new Date().toISOString(),
      calls,
      rounds,
      concurrency: CONCURRENCY,
      request: `GET ${PATH}`,
      operatorRestClientFetch: fetchRounds,
      undiciDispatcherRequest: dispatcherRounds,
      medianCpuUsPerCall: { fetch: f, dispatcher: d, ratio: Math.round((d / f) * 1000) / 1000 },
    };
    await agent.close();
    const out = resolve("reports", `profile-bench-rest-client-${timestamp()}.json`);
    await writeFileAtomic(out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(report.medianCpuUsPerCall)}\n${out}\n`);
  } finally {
    await cluster.stop();
  }
}

await main();
