/**
 * http-load: autocannon against the simulated Patronus API (loopback only), to see how the
 * operator behaves while the API it depends on is busy. autocannon's rate limit is per
 * connection (closed model), so this is a stress tool, not an open-model executor; the
 * load phase is the open-model one. Latency per response goes to http_load_latency.
 */
import autocannon from "autocannon";
import { HarnessError } from "../../errors.ts";
import type { Phase } from "../../scenario/phases.ts";
import type { PhaseContext } from "../context.ts";

type HttpLoadPhase = Extract<Phase, { kind: "http-load" }>;

interface AutocannonResult {
  requests: { total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

export async function runHttpLoad(ctx: PhaseContext, phase: HttpLoadPhase): Promise<void> {
  const url = new URL(phase.path, ctx.patronus.url);
  if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
    throw new HarnessError(`http-load targets only the loopback simulator, not ${url.host}`);
  }
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: url.href,
        method: phase.method,
        connections: phase.connections,
        duration: Math.max(1, Math.round(phase.duration / 1000)),
        headers: { authorization: `Bearer ${ctx.patronus.token}` },
        ...(phase.rate ? { overallRate: phase.rate } : {}),
      },
      (err: Error | null, res: AutocannonResult) => (err ? reject(err) : resolve(res)),
    );
    instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      ctx.store.record("http_load_latency", responseTime);
    });
    ctx.signal.addEventListener("abort", () => instance.stop(), { once: true });
  });
  ctx.store.count("http_load_requests", result.requests.total);
  ctx.store.count("http_load_non2xx", result.non2xx);
  ctx.store.count("http_load_errors", result.errors + result.timeouts);
}
