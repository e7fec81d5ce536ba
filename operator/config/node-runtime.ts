/** How the operator's Node process is run, wherever it runs: a local process, a container, a pod. */

/**
 * V8 heap sizing for the operator process. Give them to `node` on its command line before
 * operator/main.ts (the container image should run with the same): --heap-growing-percent is
 * not one of the V8 options Node accepts in NODE_OPTIONS. Measured at 1000 Sites (scale-1000), heap after a
 * full GC was ~30–70 MiB, yet RSS reached 430 MiB:
 * - Node sizes the young generation from the machine's memory; on a 24 GiB host it grew to
 *   128 MiB (two 64 MiB semi-spaces), a third of the RSS, although what survives a scavenge is a
 *   few MiB (in-flight requests, watch events). 8 MiB semi-spaces mean more scavenges, each
 *   cheap: their cost follows what survives, not the space size.
 * - The old generation grew up to 4× the live heap before a full GC (V8's growing factor when
 *   GC is cheap). 1.5× keeps it near the live set and scales with it, unlike a fixed
 *   --max-old-space-size that a bigger mesh would run into.
 * The CPU this costs is in the results files (operator_cpu_cores) next to the RSS it saves.
 */
export const OPERATOR_NODE_OPTIONS: readonly string[] = [
  "--max-semi-space-size=8",
  "--heap-growing-percent=50",
];

/**
 * glibc gives each thread that allocates its own malloc arena (V8's GC and compiler threads,
 * libuv's pool), and freed memory stays in them as RSS; two arenas are enough for one event loop.
 */
export const OPERATOR_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };
