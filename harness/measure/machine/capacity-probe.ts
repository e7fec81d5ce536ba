/**
 * The capacity probe: a fixed piece of CPU work the harness times at the start and at the end of
 * a run — SHA-256 over a fixed buffer, in one worker thread per core at once, so a process that
 * takes one core of two slows it even though a single thread would still find a free core. The
 * same work taking much longer (or shorter) at one end than at the other says the machine's
 * capacity changed under the run, whoever took it; the CPU accounting in machine-state.ts says who.
 *
 * CPU work, not apiserver work: a probe of writes to the run's own apiserver also times the
 * cluster's state (thousands of objects more at the end, a controller-manager sweeping them),
 * and measured the run's own growth as if it were another process.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

export interface ProbeShape {
  /** Worker threads hashing at once (default: one per core). */
  workers: number;
  /** SHA-256 passes over a 64 KiB buffer per worker in one round. */
  hashesPerWorker: number;
  /** Timed rounds, an odd number; the figure is their median, so one stray pause does not move it. */
  rounds: number;
}

/** ≈ 0.1 s a round on one core of a current x86 server; five timed rounds and one untimed. */
export const PROBE_SHAPE: ProbeShape = { workers: availableParallelism(), hashesPerWorker: 1500, rounds: 5 };

// CommonJS source for `eval` workers: hashes on request, answers with the seconds it took.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const buffer = Buffer.alloc(64 * 1024, 7);
parentPort.on("message", (hashes) => {
  const t0 = performance.now();
  for (let i = 0; i < hashes; i++) createHash("sha256").update(buffer).digest();
  parentPort.postMessage((performance.now() - t0) / 1000);
});
`;

/** Seconds one round of the probe's work took (median of its rounds; a round lasts as long as its slowest worker). */
export async function probeCapacity(shape: ProbeShape = PROBE_SHAPE): Promise<number> {
  const workers = Array.from(
    { length: Math.max(1, shape.workers) },
    () => new Worker(WORKER_SOURCE, { eval: true }),
  );
  const round = async () => {
    const t0 = performance.now();
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once("message", () => resolve());
            w.once("error", reject);
            w.postMessage(shape.hashesPerWorker);
          }),
      ),
    );
    return (performance.now() - t0) / 1000;
  };
  try {
    // Untimed: thread start-up and the hash's first compilation are not the machine's capacity.
    await round();
    const seconds: number[] = [];
    for (let r = 0; r < shape.rounds; r++) seconds.push(await round());
    return median(seconds);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The middle value (the rounds are odd in number). */
function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
}
