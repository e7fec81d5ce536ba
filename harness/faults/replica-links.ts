/**
 * Each operator replica's own links to the apiserver and to the Patronus API, so one replica can
 * be partitioned from either while the others and the harness still reach both, and so every
 * request a replica sends is known by its caller:
 *   - the apiserver: a loopback proxy per replica (link-proxy.ts). The replica's kubeconfig is
 *     the run's ServiceAccount kubeconfig with the server and CA of its proxy;
 *   - the Patronus API: the simulator itself tells callers apart by the `/c/<caller>` prefix of
 *     the base URL each replica is given, logs their requests and partitions one on request.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { z } from "zod";
import { HarnessError } from "../errors.ts";
import type { ScenarioDefinition } from "../scenario/schema.ts";
import { LinkProxy } from "./link-proxy.ts";
import { createProxyTls, type ProxyTls } from "./proxy-tls.ts";

export type LinkApi = "apiserver" | "patronus-api";

/** A request one replica sent to one API, as its link saw it. */
export interface CallerRequest {
  caller: string;
  api: LinkApi;
  method: string;
  path: string;
  /** performance.now() when it was forwarded to the API. */
  at: number;
}

/** Where a replica is told to find the APIs. */
export interface ReplicaEndpoints {
  kubeconfig: string;
  patronusUrl: string;
}

const Kubeconfig = z.looseObject({
  clusters: z
    .array(
      z.looseObject({
        name: z.string(),
        cluster: z.looseObject({
          server: z.url(),
          "certificate-authority-data": z.string().optional(),
          "certificate-authority": z.string().optional(),
        }),
      }),
    )
    .length(1, "the operator's kubeconfig must name exactly one cluster"),
});

export interface ReplicaLinksOptions {
  /** The ServiceAccount kubeconfig every replica would use without links. */
  kubeconfig: string;
  dir: string;
  /** The simulator: its base URL, and a partition of one caller that resolves with its heal. */
  patronus: { url: string; partition(caller: string, durationMs: number): Promise<() => Promise<void>> };
}

/**
 * Partitions of one caller by the simulator's fault API (a black hole: its requests are held
 * unanswered, and served late if the client still waits when it heals, as retransmitted packets
 * would be); the heal clears the fault, which also ends by itself after its duration.
 */
export function callerPartitions(mesh: {
  url: string;
  faults: {
    partition(caller: string, durationMs: number): Promise<{ id: string }>;
    clear(id: string): Promise<void>;
  };
}): ReplicaLinksOptions["patronus"] {
  return {
    url: mesh.url,
    partition: async (caller, durationMs) => {
      const fault = await mesh.faults.partition(caller, durationMs);
      return () => mesh.faults.clear(fault.id).catch(() => {});
    },
  };
}

/**
 * Runs whose replicas get links: several replicas (split brain is possible, and measured), or a
 * partition to inject. Only replicas that are processes of this machine: a container or a pod
 * reaches the APIs by its own network.
 */
export function wantsReplicaLinks(def: ScenarioDefinition): boolean {
  if (def.operator.runtime !== "process") return false;
  return def.operator.replicas > 1 || partitionsIn(def);
}

export function partitionsIn(def: ScenarioDefinition): boolean {
  return def.phases.some((p) => {
    const injections =
      p.kind === "inject"
        ? [p.inject]
        : p.kind === "load" || p.kind === "churn"
          ? p.during.map((d) => d.inject)
          : [];
    return injections.some((i) => i.target === "operator" && i.action.startsWith("partition"));
  });
}

/** Requests kept per run; a replica that hot-loops must not grow the harness without bound. */
const MAX_REQUESTS = 2_000_000;

export class ReplicaLinks {
  private readonly links = new Map<string, LinkProxy>();
  private readonly log: CallerRequest[] = [];
  private dropped = 0;
  private tls: Promise<ProxyTls> | undefined;
  private base:
    | Promise<{ doc: z.infer<typeof Kubeconfig>; server: string; ca: Buffer | undefined }>
    | undefined;

  private readonly o: ReplicaLinksOptions;

  constructor(options: ReplicaLinksOptions) {
    this.o = options;
  }

  /** Starts the links of a replica about to start as `identity`. */
  async open(identity: string): Promise<ReplicaEndpoints> {
    this.tls ??= createProxyTls();
    this.base ??= this.readBase();
    const [tls, base] = await Promise.all([this.tls, this.base]);
    const apiserver = new LinkProxy({
      upstream: base.server,
      serving: { certPem: tls.certPem, keyPem: tls.keyPem },
      ...(base.ca ? { upstreamCa: base.ca } : {}),
      onForward: (r) => {
        if (this.log.length >= MAX_REQUESTS) this.dropped++;
        else this.log.push({ caller: identity, api: "apiserver", ...r });
      },
    });
    const apiserverUrl = await apiserver.listen();
    this.links.set(identity, apiserver);
    const doc = structuredClone(base.doc);
    const cluster = doc.clusters[0]!.cluster;
    cluster.server = apiserverUrl;
    delete cluster["certificate-authority"];
    cluster["certificate-authority-data"] = Buffer.from(tls.caPem).toString("base64");
    const kubeconfig = join(this.o.dir, `${identity}.link.kubeconfig`);
    await writeFile(kubeconfig, stringify(doc), { mode: 0o600 });
    const patronusUrl = `${this.o.patronus.url.replace(/\/$/, "")}/c/${encodeURIComponent(identity)}`;
    return { kubeconfig, patronusUrl };
  }

  /** Cuts the replica `identity` off from one API; resolves with the function that heals it. */
  async cut(identity: string, api: LinkApi, durationMs: number): Promise<() => Promise<void>> {
    if (api === "patronus-api") return this.o.patronus.partition(identity, durationMs);
    const link = this.links.get(identity);
    if (!link) throw new HarnessError(`operator replica ${identity} has no apiserver link to partition`);
    link.partition();
    return async () => link.heal();
  }

  /** Every apiserver request forwarded so far, oldest first, and how many were not kept (over the cap). */
  requests(): { requests: readonly CallerRequest[]; dropped: number } {
    return { requests: this.log, dropped: this.dropped };
  }

  async closeAll(): Promise<void> {
    const all = [...this.links.values()];
    this.links.clear();
    await Promise.all(all.map((p) => p.close()));
  }

  private async readBase() {
    const text = await readFile(this.o.kubeconfig, "utf8");
    const parsed = Kubeconfig.safeParse(parse(text));
    if (!parsed.success)
      throw new HarnessError(`${this.o.kubeconfig}: ${parsed.error.issues[0]?.message}`, {
        fix: "the operator's kubeconfig must name one cluster with a server URL",
      });
    const cluster = parsed.data.clusters[0]!.cluster;
    const ca = cluster["certificate-authority-data"]
      ? Buffer.from(cluster["certificate-authority-data"], "base64")
      : cluster["certificate-authority"]
        ? await readFile(cluster["certificate-authority"])
        : undefined;
    return { doc: parsed.data, server: cluster.server, ca };
  }
}
