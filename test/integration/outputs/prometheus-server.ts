/**
 * A real Prometheus for the sink tests: Debian's `prometheus` with its remote-write receiver on a
 * free loopback port, its TSDB in a temp dir. stop() ends it (the tests call it in after()).
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa, type ResultPromise } from "execa";

export interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

export interface Matrix {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as { port: number }).port;
  await new Promise((ok) => server.close(ok));
  return port;
}

export class PrometheusServer {
  readonly base: string;
  private readonly process: ResultPromise;

  private constructor(base: string, process: ResultPromise) {
    this.base = base;
    this.process = process;
  }

  get writeUrl(): string {
    return `${this.base}/api/v1/write`;
  }

  static async start(): Promise<PrometheusServer> {
    const dir = mkdtempSync(join(tmpdir(), "prometheus-rw-"));
    const config = join(dir, "prometheus.yml");
    writeFileSync(config, "global:\n  scrape_interval: 1m\n");
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = execa(
      "prometheus",
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--web.enable-remote-write-receiver",
      ],
      { reject: false, cleanup: true, stdio: ["ignore", "ignore", "pipe"] },
    );
    const server = new PrometheusServer(base, child);
    for (let i = 0; i < 150; i++) {
      const ready = await fetch(`${base}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return server;
      if (child.exitCode !== null) break;
      await sleep(200);
    }
    await server.stop();
    throw new Error(`prometheus did not become ready: ${(await child).stderr}`);
  }

  get running(): boolean {
    return this.process.exitCode === null && !this.process.killed;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null) this.process.kill("SIGTERM");
    await this.process;
  }

  private async api<T>(path: string, params: Record<string, string>): Promise<T> {
    const res = await fetch(`${this.base}/api/v1/${path}?${new URLSearchParams(params)}`);
    const body = (await res.json()) as { status: string; data: { result: T }; error?: string };
    assert.equal(body.status, "success", `${params.query}: ${body.error}`);
    return body.data.result;
  }

  query(expr: string, time?: number): Promise<Vector[]> {
    return this.api("query", { query: expr, ...(time === undefined ? {} : { time: String(time) }) });
  }

  queryRange(expr: string, start: number, end: number, step: number): Promise<Matrix[]> {
    return this.api("query_range", {
      query: expr,
      start: String(start),
      end: String(end),
      step: String(step),
    });
  }
}
