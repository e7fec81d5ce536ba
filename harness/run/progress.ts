/**
 * Live progress. On a TTY one status line is redrawn at most 4 times a second (phase, target vs
 * achieved rate, objects observed, running p99, operator CPU/RSS, the cores all measured processes
 * use); otherwise plain log lines, one per phase change and one every 10 s, so CI logs stay readable.
 */
import type { Measurement } from "../measure/measurement.ts";
import type { Progress } from "./context.ts";

export class ConsoleProgress implements Progress {
  private readonly tty: boolean;
  private readonly out: NodeJS.WriteStream;
  private current = "starting";
  private rateText = "";
  private timer: NodeJS.Timeout | undefined;
  private lastPlain = 0;
  private measurements: readonly Measurement[] = [];
  private readonly started = performance.now();

  constructor(out: NodeJS.WriteStream = process.stderr, tty = Boolean(out.isTTY) && !process.env.CI) {
    this.out = out;
    this.tty = tty;
  }

  attach(measurements: readonly Measurement[]): void {
    this.measurements = measurements;
    this.timer = setInterval(() => this.render(), this.tty ? 250 : 1000);
    this.timer.unref();
  }

  status(): string {
    return this.line();
  }

  private line(): string {
    const parts = [this.current];
    if (this.rateText) parts.push(this.rateText);
    for (const m of this.measurements) {
      const p = m.progress?.();
      if (p) parts.push(p);
    }
    const t = Math.round((performance.now() - this.started) / 1000);
    return `[${t}s] ${parts.join(" | ")}`;
  }

  private render(): void {
    if (this.tty) {
      const cols = this.out.columns ?? 120;
      this.out.write(`\r\x1b[2K${this.line().slice(0, cols - 1)}`);
    } else if (performance.now() - this.lastPlain >= 10_000) {
      this.lastPlain = performance.now();
      this.out.write(`${this.line()}\n`);
    }
  }

  phase(name: string, kind: string): void {
    this.current = `${name} (${kind})`;
    this.rateText = "";
    this.log(`phase ${name} (${kind})`);
  }

  rate(target: number, achieved: number): void {
    this.rateText = `rate ${achieved}/${Math.round(target)} per s`;
  }

  log(text: string): void {
    const t = Math.round((performance.now() - this.started) / 1000);
    this.out.write(`${this.tty ? "\r\x1b[2K" : ""}[${t}s] ${text}\n`);
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.tty) this.out.write("\r\x1b[2K");
  }
}
