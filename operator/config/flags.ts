/**
 * The operator's configuration: flags, with environment variables as fallbacks, validated by zod
 * so a bad value fails at start with the flag named. Names follow controller-runtime's
 * (--leader-elect, --metrics-bind-address) where it has one.
 */
import { parseArgs } from "node:util";
import { z } from "zod";

const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  if (typeof v === "number") return v;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: "custom", message: `"${v}" is not a duration (e.g. 15s, 500ms, 2m)` });
    return z.NEVER;
  }
  const n = Number(m[1]);
  return m[2] === "m" ? n * 60_000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n;
});

const positiveInt = z.coerce.number().int().positive();
const bool = z
  .union([z.boolean(), z.enum(["true", "false", "1", "0"])])
  .transform((v) => v === true || v === "true" || v === "1");

export const Config = z
  .strictObject({
    kubeconfig: z.string().min(1, "is required (or set KUBECONFIG)"),
    patronusUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    patronusTokenFile: z.string().min(1, "is required (or set PATRONUS_TOKEN_FILE)"),
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a namespace name")
      .default("default"),
    metricsBindAddress: z.string().default("127.0.0.1"),
    metricsPort: z.coerce.number().int().min(0).max(65535).default(8080),
    leaderElect: bool.default(false),
    leaderElectNamespace: z.string().min(1).default("patronus-system"),
    leaderElectId: z.string().min(1).default("patronus-operator"),
    leaderElectLeaseDuration: duration.default(15_000),
    leaderElectRenewDeadline: duration.default(10_000),
    leaderElectRetryPeriod: duration.default(2_000),
    /**
     * Refuse every write (apiserver and Patronus API) once the lease may have expired by this
     * replica's own clock, and give leadership up by then. Off only to show what it prevents.
     */
    leaderElectFencing: bool.default(true),
    identity: z.string().min(1).optional(),
    concurrency: positiveInt.max(256).default(4),
    pathConcurrency: positiveInt.max(256).optional(),
    // Not controller-runtime's 20/30, which suit a controller of a few objects: here one Site
    // costs ~10 writes (finalizer, status, Event, and a create and a status write for each of its
    // ~4 Paths), so a 1000-Site rollout at 20 qps takes ~8 minutes of client-side waiting while
    // the apiserver idles. The apiserver's own API Priority and Fairness (on by default since
    // 1.20) shares it fairly between clients; this limiter stays as a backstop against a
    // runaway loop, sized for bursts of a few hundred writes.
    qps: z.coerce.number().positive().default(100),
    burst: positiveInt.default(200),
    pathStatusQps: z.coerce.number().positive().optional(),
    pathStatusBurst: positiveInt.optional(),
    // Events are advisory and, at one per registered Site, were ~7 % of the writes of a 1000-site
    // burst, competing with the Paths for the apiserver. They go out at this rate (a backlog
    // waits in the recorder's buffer; beyond it they are dropped and counted, as client-go does).
    eventQps: z.coerce.number().positive().default(10),
    eventBurst: positiveInt.default(50),
    workqueueQps: z.coerce.number().positive().default(10),
    workqueueBurst: positiveInt.default(100),
    patronusTimeoutMs: positiveInt.default(10_000),
    patronusMaxRetries: z.coerce.number().int().min(0).max(10).default(3),
    logLevel: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
    reconcileDelayMs: z.coerce.number().int().min(0).max(60_000).default(0),
    // CPU time, not wall time: under a busy machine a sleep costs nothing and a wall-clock spin
    // costs less CPU than asked, so only this is "the same code, N ms more work per reconcile".
    reconcileCpuMs: z.coerce.number().min(0).max(1_000).default(0),
    // As kube-controller-manager's flag: the body of the operator's writes whose answer it does
    // not read (status updates, Path creates). CBOR needs the apiserver's CBORServingAndStorage
    // feature gate (alpha in v1.37); an apiserver without it refuses the first such write (406),
    // which then goes again as JSON, as every write after it (logged once).
    kubeApiContentType: z.enum(["application/json", "application/cbor"]).default("application/json"),
  })
  .transform((c) => ({
    ...c,
    pathConcurrency: c.pathConcurrency ?? c.concurrency,
    // Half the client budget at most: Path status can never starve Site/Mesh/Policy writes.
    pathStatusQps: c.pathStatusQps ?? c.qps / 2,
    pathStatusBurst: c.pathStatusBurst ?? Math.max(1, Math.floor(c.burst / 2)),
  }))
  .superRefine((c, ctx) => {
    if (c.pathStatusQps > c.qps)
      ctx.addIssue({ code: "custom", path: ["pathStatusQps"], message: `must not exceed --qps (${c.qps})` });
  });

export type Config = z.infer<typeof Config>;

const FLAGS = {
  kubeconfig: { env: "KUBECONFIG" },
  "patronus-url": { env: "PATRONUS_URL" },
  "patronus-token-file": { env: "PATRONUS_TOKEN_FILE" },
  namespace: { env: "PATRONUS_NAMESPACE" },
  "metrics-bind-address": { env: "METRICS_BIND_ADDRESS" },
  "metrics-port": { env: "METRICS_PORT" },
  "leader-elect": { env: "LEADER_ELECT" },
  "leader-elect-namespace": { env: "LEADER_ELECT_NAMESPACE" },
  "leader-elect-id": { env: "LEADER_ELECT_ID" },
  "leader-elect-lease-duration": { env: "LEADER_ELECT_LEASE_DURATION" },
  "leader-elect-renew-deadline": { env: "LEADER_ELECT_RENEW_DEADLINE" },
  "leader-elect-retry-period": { env: "LEADER_ELECT_RETRY_PERIOD" },
  "leader-elect-fencing": { env: "LEADER_ELECT_FENCING" },
  identity: { env: "POD_NAME" },
  concurrency: { env: "CONCURRENCY" },
  "path-concurrency": { env: "PATH_CONCURRENCY" },
  qps: { env: "KUBE_API_QPS" },
  burst: { env: "KUBE_API_BURST" },
  "path-status-qps": { env: "PATH_STATUS_QPS" },
  "path-status-burst": { env: "PATH_STATUS_BURST" },
  "event-qps": { env: "EVENT_QPS" },
  "event-burst": { env: "EVENT_BURST" },
  "workqueue-qps": { env: "WORKQUEUE_QPS" },
  "workqueue-burst": { env: "WORKQUEUE_BURST" },
  "patronus-timeout-ms": { env: "PATRONUS_TIMEOUT_MS" },
  "patronus-max-retries": { env: "PATRONUS_MAX_RETRIES" },
  "log-level": { env: "LOG_LEVEL" },
  "reconcile-delay-ms": { env: "RECONCILE_DELAY_MS" },
  "reconcile-cpu-ms": { env: "RECONCILE_CPU_MS" },
  "kube-api-content-type": { env: "KUBE_API_CONTENT_TYPE" },
} as const;

export const USAGE = `usage: node operator/main.ts --kubeconfig FILE --patronus-url URL --patronus-token-file FILE [options]
  ${Object.entries(FLAGS)
    .map(([f, { env }]) => `--${f} (env ${env})`)
    .join("\n  ")}`;

export class ConfigError extends Error {
  override name = "ConfigError";
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Booleans may be given bare (`--leader-elect`), as Go's flag package allows. */
const BOOLEAN_FLAGS = new Set(["--leader-elect"]);

function expandBareBooleans(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    out.push(a);
    const next = argv[i + 1];
    if (BOOLEAN_FLAGS.has(a) && (next === undefined || next.startsWith("--"))) out.push("true");
  }
  return out;
}

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  let values: Record<string, string | boolean | undefined>;
  argv = expandBareBooleans(argv);
  try {
    const options = Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: "string" as const }]));
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new ConfigError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  const raw: Record<string, unknown> = {};
  for (const [flag, { env: name }] of Object.entries(FLAGS)) {
    const v = values[flag] ?? env[name];
    if (v !== undefined && v !== "") raw[camel(flag)] = v;
  }
  const parsed = Config.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `--${kebab(String(i.path[0] ?? "?"))}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  return parsed.data;
}
