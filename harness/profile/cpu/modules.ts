/**
 * Which part of the operator a sampled frame belongs to, from its script URL: the operator's own
 * folders (controllers, workqueue, informers…), its libraries (the Kubernetes client, pino,
 * prom-client, zod…), Node's internals (network stack apart) and V8's pseudo-frames (GC, idle,
 * program). Groups are what a reader of "where does the time go" asks about, not file names.
 */
import { fileURLToPath } from "node:url";

export const MODULE_GROUPS = [
  "controllers",
  "workqueue",
  "informers",
  "api-client",
  "patronus-client",
  "serialization",
  "validation",
  "logging",
  "metrics",
  "operator-runtime",
  "operator-other",
  "tunnel-rule",
  "network",
  "node-internal",
  "dependencies",
  "gc",
  "idle",
  "program",
  "v8-builtin",
  "other",
] as const;
export type ModuleGroup = (typeof MODULE_GROUPS)[number];

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const OPERATOR_DIRS: [string, ModuleGroup][] = [
  ["operator/controllers/", "controllers"],
  ["operator/runtime/workqueue/", "workqueue"],
  ["operator/runtime/informer/", "informers"],
  ["operator/runtime/kube/", "api-client"],
  ["operator/runtime/metrics/", "metrics"],
  ["operator/runtime/", "operator-runtime"],
  ["operator/patronus/", "patronus-client"],
  ["operator/api/", "validation"],
  ["operator/", "operator-other"],
  ["harness/mesh/topology/", "tunnel-rule"],
];

const PACKAGES: Record<string, ModuleGroup> = {
  "@kubernetes/client-node": "api-client",
  "node-fetch": "api-client",
  "isomorphic-ws": "api-client",
  ws: "api-client",
  hpagent: "api-client",
  "jsonpath-plus": "api-client",
  // The operator's HTTP client (REST calls and the Patronus API): the network stack, as node:http is.
  undici: "network",
  "eventsource-parser": "patronus-client",
  "js-yaml": "serialization",
  yaml: "serialization",
  zod: "validation",
  pino: "logging",
  "pino-std-serializers": "logging",
  "sonic-boom": "logging",
  "thread-stream": "logging",
  "fast-redact": "logging",
  "quick-format-unescaped": "logging",
  "on-exit-leak-free": "logging",
  "atomic-sleep": "logging",
  "prom-client": "metrics",
  tdigest: "metrics",
  bintrees: "metrics",
};

/** V8 builtins with no script URL that are (de)serialization. */
const SERIALIZATION_BUILTINS = new Set(["parse", "stringify", "JSON.parse", "JSON.stringify"]);

const NETWORK_INTERNALS = [
  "node:internal/deps/undici",
  "node:_http_",
  "node:http",
  "node:https",
  "node:net",
  "node:tls",
  "node:_tls_",
  "node:internal/tls",
  "node:internal/http",
  "node:internal/stream_base_commons",
  "node:internal/dns",
  "node:dns",
];

/** A script URL relative to the repository (or to node_modules) for display. */
export function displayPath(url: string): string {
  let path = url;
  if (path.startsWith("file://")) {
    try {
      path = fileURLToPath(path);
    } catch {
      return url;
    }
  }
  const nm = path.lastIndexOf("/node_modules/");
  if (nm >= 0) return path.slice(nm + 1);
  if (path.startsWith(REPO_ROOT)) return path.slice(REPO_ROOT.length);
  const m = /\/((?:operator|harness)\/.*)$/.exec(path);
  return m?.[1] ?? path;
}

function packageOf(path: string): string | undefined {
  const nm = path.lastIndexOf("node_modules/");
  if (nm < 0) return undefined;
  const parts = path.slice(nm + "node_modules/".length).split("/");
  return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** The group of one frame. Builtins (no URL) are "v8-builtin" here; callers attribute them. */
export function classifyFrame(functionName: string, url: string): ModuleGroup {
  if (url === "") {
    if (functionName === "(garbage collector)") return "gc";
    if (functionName === "(idle)") return "idle";
    if (functionName === "(program)" || functionName === "(root)") return "program";
    if (SERIALIZATION_BUILTINS.has(functionName)) return "serialization";
    return "v8-builtin";
  }
  if (url.startsWith("node:")) {
    return NETWORK_INTERNALS.some((p) => url.startsWith(p)) ? "network" : "node-internal";
  }
  const path = displayPath(url);
  const pkg = packageOf(path);
  if (pkg !== undefined) return PACKAGES[pkg] ?? "dependencies";
  for (const [dir, group] of OPERATOR_DIRS) if (path.startsWith(dir)) return group;
  return "other";
}
