/**
 * GET a text endpoint: plain HTTP(S) for the operator's /metrics, or the apiserver's /metrics with
 * the admin credentials from a KubeConfig (client certificates need an https agent, which fetch
 * does not take). Bounded by a timeout so a hung endpoint never stalls a sampler.
 */
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";

export async function fetchText(url: string, timeoutMs = 3000): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}

export async function fetchFromApiserver(kc: KubeConfig, path: string, timeoutMs = 5000): Promise<string> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error("kubeconfig has no current cluster");
  const url = new URL(path, server);
  const options: https.RequestOptions = { method: "GET", timeout: timeoutMs };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = https.request(url, options, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${url}: HTTP ${res.statusCode}`)),
      );
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url}: timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}
