/** Run metadata for results.json: git state, versions and the machine. */
import { readFileSync } from "node:fs";
import os from "node:os";
import { execa } from "execa";

export async function gitState(): Promise<{ commit: string; dirty: boolean }> {
  try {
    const commit = (await execa("git", ["rev-parse", "HEAD"])).stdout.trim();
    const status = (await execa("git", ["status", "--porcelain", "--untracked-files=no"])).stdout.trim();
    return { commit, dirty: status.length > 0 };
  } catch {
    return { commit: "unknown", dirty: false };
  }
}

export function harnessVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version?: string;
  };
  return pkg.version ?? "0.0.0";
}

export function machine(): { cores: number; memoryBytes: number; cpuModel: string; platform: string } {
  const cpus = os.cpus();
  return {
    cores: Math.max(1, cpus.length),
    memoryBytes: os.totalmem(),
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    platform: `${process.platform}-${process.arch} ${os.release()}`,
  };
}
