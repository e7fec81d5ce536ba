/** Polls a component's health endpoint every 100 ms (as envtest does) until it answers 200. */

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { HarnessError } from "../../errors.ts";
import type { ManagedProcess } from "../../process/supervisor.ts";

export interface TlsClient {
  ca: string;
  cert: string;
  key: string;
}

export function get(
  url: string,
  tls?: TlsClient,
  timeoutMs = 2000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(
      u,
      { method: "GET", timeout: timeoutMs, ...(tls ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}) },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

export async function waitHealthy(
  proc: ManagedProcess,
  url: string,
  options: { tls?: TlsClient; timeoutMs: number; logFile: string },
): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  let last = "no answer yet";
  while (performance.now() < deadline) {
    if (!proc.running) {
      throw new HarnessError(`${proc.name} exited during start-up: ${lastErrorLine(proc.outputTail(60))}`, {
        fix: `see ${options.logFile}`,
      });
    }
    try {
      const r = await get(url, options.tls, 1000);
      if (r.status === 200) return;
      last = `HTTP ${r.status}: ${r.body
        .split("\n")
        .filter((l) => l.includes("failed"))
        .join("; ")
        .slice(0, 300)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new HarnessError(
    `${proc.name} was not healthy within ${options.timeoutMs / 1000}s at ${url} (${last})`,
    {
      fix: `see ${options.logFile}; on a loaded machine raise the start timeout`,
    },
  );
}

/** The line that says why a Go component died: klog's last E-line, else the last line. */
export function lastErrorLine(output: string): string {
  const lines = output.split("\n").filter((l) => l.trim() !== "");
  const errors = lines.filter((l) => /^E\d{4} |"level":"(error|fatal)"|\berror\b/i.test(l));
  return (errors.at(-1) ?? lines.at(-1) ?? "no output").trim().slice(0, 400);
}
