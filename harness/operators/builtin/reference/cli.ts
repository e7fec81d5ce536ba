/**
 * The reference operator's command line as the harness knows it from the outside: its entry
 * script, how its Node process is run, its flags (names and what each accepts), the Lease its
 * flags make it lead through and its version. The operator in operator/ parses the same flags
 * with its own parser; test/integration/operator/cli.test.ts holds the two descriptions equal.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { REPO_ROOT } from "../../../paths.ts";

/** The entry script, relative to the repository (and to the image's working directory). */
export const OPERATOR_SCRIPT = "operator/main.ts";
export const OPERATOR_MAIN = join(REPO_ROOT, OPERATOR_SCRIPT);

/**
 * V8 heap sizing for the operator process, given to `node` before the script (the image runs
 * with the same): --heap-growing-percent is not one of the V8 options Node accepts in
 * NODE_OPTIONS. Measured at 1000 Sites (scale-1000), heap after a full GC was ~30–70 MiB, yet RSS
 * reached 430 MiB:
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

/** The Lease the operator leads through unless --leader-elect-id / --leader-elect-namespace say otherwise. */
export const DEFAULT_LEASE = { namespace: "patronus-system", name: "patronus-operator" } as const;

const duration = z.string().regex(/^\d+(?:\.\d+)?(?:ms|s|m)?$/, "must be a duration (e.g. 15s, 500ms, 2m)");
const count = z.string().regex(/^[1-9]\d*$/, "must be a positive whole number");
const rate = z
  .string()
  .refine((v) => Number.isFinite(Number(v)) && Number(v) > 0, "must be a positive number");
const bool = z.enum(["true", "false", "1", "0"], "must be true or false");
const text = z.string().min(1, "must not be empty");

/** Every flag the reference operator accepts, with the values it accepts. */
export const OPERATOR_FLAGS = {
  kubeconfig: text,
  "patronus-url": z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
  "patronus-token-file": text,
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a namespace name"),
  "metrics-bind-address": text,
  "metrics-port": z.string().regex(/^\d{1,5}$/, "must be a port number"),
  "leader-elect": bool,
  "leader-elect-namespace": text,
  "leader-elect-id": text,
  "leader-elect-lease-duration": duration,
  "leader-elect-renew-deadline": duration,
  "leader-elect-retry-period": duration,
  "leader-elect-fencing": bool,
  identity: text,
  concurrency: count,
  "path-concurrency": count,
  qps: rate,
  burst: count,
  "path-status-qps": rate,
  "path-status-burst": count,
  "event-qps": rate,
  "event-burst": count,
  "workqueue-qps": rate,
  "workqueue-burst": count,
  "patronus-timeout-ms": count,
  "patronus-max-retries": z.string().regex(/^(?:\d|10)$/, "must be 0 to 10"),
  "log-level": z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]),
  "reconcile-delay-ms": z.string().regex(/^\d+$/, "must be a whole number of ms"),
  "reconcile-cpu-ms": z.string().regex(/^\d+(\.\d+)?$/, "must be a number of ms of CPU time"),
  "kube-api-content-type": z.enum(["application/json", "application/cbor"]),
} as const satisfies Record<string, z.ZodType<string>>;

export type OperatorFlag = keyof typeof OPERATOR_FLAGS;

/** A flag that may stand without its value (`--leader-elect` means true), as Go's flags allow. */
const BARE_BOOLEANS: ReadonlySet<string> = new Set(["leader-elect"]);

/** A command line's flags as name → value (the last one wins, as the operator reads them), and what is not a flag. */
export function parseFlags(args: readonly string[]): { values: Map<string, string>; strays: string[] } {
  const values = new Map<string, string>();
  const strays: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      strays.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    if (eq > 0) {
      values.set(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const name = arg.slice(2);
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      values.set(name, next);
      i++;
    } else if (BARE_BOOLEANS.has(name)) values.set(name, "true");
    else values.set(name, "");
  }
  return { values, strays };
}

/** What is wrong with a command line's flags, one line each (none when the operator would start). */
export function flagProblems(args: readonly string[]): string[] {
  const { values, strays } = parseFlags(args);
  const problems = strays.map((arg) => `"${arg}" is not a flag`);
  for (const [name, value] of values) {
    const schema = (OPERATOR_FLAGS as Record<string, z.ZodType<string>>)[name];
    if (!schema) {
      problems.push(`--${name}: not a flag of the reference operator`);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      problems.push(`--${name} ${JSON.stringify(value)}: ${parsed.error.issues[0]?.message}`);
  }
  return problems;
}

/** The Lease the operator started with these flags leads through. */
export function leaseOf(args: readonly string[]): { namespace: string; name: string } {
  const { values } = parseFlags(args);
  return {
    namespace: values.get("leader-elect-namespace") || DEFAULT_LEASE.namespace,
    name: values.get("leader-elect-id") || DEFAULT_LEASE.name,
  };
}

export interface OperatorProcessFlags {
  kubeconfig: string;
  patronusUrl: string;
  patronusTokenFile: string;
  namespace: string;
  metricsPort: number;
  leaderElect: boolean;
  identity: string;
  logLevel?: string;
  /** Tuning flags after the ones above (a later flag overrides an earlier one). */
  extraArgs?: readonly string[];
}

/** A scenario's operator settings, wherever the operator runs. */
export interface OperatorTuning {
  leaderElection: { leaseDuration: number; renewDeadline: number; retryPeriod: number };
  concurrency: number;
  pathConcurrency?: number;
  qps: number;
  burst: number;
  workqueueQps: number;
  workqueueBurst: number;
  /** Flags of the scenario's own, after the ones above. */
  extraArgs: readonly string[];
}

/** The flags that give the operator a scenario's settings (durations in ms). */
export function tuningArgs(t: OperatorTuning): string[] {
  return [
    "--leader-elect-lease-duration",
    `${t.leaderElection.leaseDuration}ms`,
    "--leader-elect-renew-deadline",
    `${t.leaderElection.renewDeadline}ms`,
    "--leader-elect-retry-period",
    `${t.leaderElection.retryPeriod}ms`,
    "--concurrency",
    String(t.concurrency),
    ...(t.pathConcurrency ? ["--path-concurrency", String(t.pathConcurrency)] : []),
    "--qps",
    String(t.qps),
    "--burst",
    String(t.burst),
    "--workqueue-qps",
    String(t.workqueueQps),
    "--workqueue-burst",
    String(t.workqueueBurst),
    ...t.extraArgs,
  ];
}

/** `node` arguments that run the reference operator as a local process. */
export function operatorProcessArgs(o: OperatorProcessFlags): string[] {
  return [
    ...OPERATOR_NODE_OPTIONS,
    OPERATOR_MAIN,
    "--kubeconfig",
    o.kubeconfig,
    "--patronus-url",
    o.patronusUrl,
    "--patronus-token-file",
    o.patronusTokenFile,
    "--namespace",
    o.namespace,
    "--metrics-port",
    String(o.metricsPort),
    "--leader-elect",
    String(o.leaderElect),
    "--identity",
    o.identity,
    "--log-level",
    o.logLevel ?? "info",
    ...(o.extraArgs ?? []),
  ];
}

const Release = z.strictObject({ version: z.string().min(1) });

/** The reference operator's version, read from its release file (operator/version.json). */
export function operatorVersion(): string {
  const file = join(REPO_ROOT, "operator", "version.json");
  return Release.parse(JSON.parse(readFileSync(file, "utf8"))).version;
}
