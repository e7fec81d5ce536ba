/**
 * The containers this process started and has not removed yet. With no reaper container (Ryuk
 * would have to be pulled), an exit that skips the normal stop — Ctrl-C, an uncaught error,
 * process.exit — removes them synchronously from the process's exit hook, so a run leaves no
 * container behind. A SIGKILLed harness is the one case left to removeLeftoverContainers().
 */
import { execFileSync } from "node:child_process";
import { onExitCleanup } from "../process/supervisor.ts";

const live = new Set<string>();
let hooked = false;

function removeAllNow(): void {
  if (live.size === 0) return;
  try {
    execFileSync("docker", ["rm", "-f", ...live], { stdio: "ignore", timeout: 30_000 });
  } catch {
    // The engine may be gone already; the owner label lets the next run remove them.
  }
  live.clear();
}

/** Registers a started container; call the returned function once it is removed. */
export function trackContainer(id: string): () => void {
  live.add(id);
  if (!hooked) {
    // Registered once for the process's lifetime: containers come and go, the hook stays.
    onExitCleanup(removeAllNow);
    hooked = true;
  }
  return () => {
    live.delete(id);
  };
}

export function liveContainers(): readonly string[] {
  return [...live];
}
