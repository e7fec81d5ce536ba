/**
 * A ledger of what each running embedded cluster owns (PIDs, temp dirs). Signals and failed
 * assertions are handled by the ProcessSet; this catches the rest — a harness killed with
 * SIGKILL — by sweeping entries whose owner is gone at the next start.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isAlive } from "../../process/supervisor.ts";
import { cacheRoot } from "./binaries.ts";

interface Entry {
  owner: number;
  pids: number[];
  dirs: string[];
}

const stateDir = () => join(cacheRoot(), "state");

function isControlPlane(pid: number): boolean {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return /(^|\/)(etcd|kube-apiserver|kube-controller-manager)\0/.test(cmd);
  } catch {
    return false;
  }
}

export async function sweepLeftovers(log: (s: string) => void = () => {}): Promise<void> {
  const dir = stateDir();
  if (!existsSync(dir)) return;
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    let entry: Entry;
    try {
      entry = JSON.parse(readFileSync(path, "utf8")) as Entry;
    } catch {
      await rm(path, { force: true });
      continue;
    }
    if (isAlive(entry.owner)) continue;
    for (const pid of entry.pids) {
      if (isAlive(pid) && isControlPlane(pid)) {
        log(`stopping leftover control-plane process ${pid} of a harness that died (pid ${entry.owner})`);
        process.kill(pid, "SIGKILL");
      }
    }
    for (const d of entry.dirs) await rm(d, { recursive: true, force: true });
    await rm(path, { force: true });
  }
}

export class Ledger {
  private readonly path: string;
  private readonly entry: Entry = { owner: process.pid, pids: [], dirs: [] };

  constructor(id: string) {
    this.path = join(stateDir(), `${id}.json`);
  }

  async record(update: { pid?: number; dir?: string }): Promise<void> {
    if (update.pid !== undefined) this.entry.pids.push(update.pid);
    if (update.dir !== undefined) this.entry.dirs.push(update.dir);
    await mkdir(stateDir(), { recursive: true });
    await writeFile(this.path, JSON.stringify(this.entry));
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
