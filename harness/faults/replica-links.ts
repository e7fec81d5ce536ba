/**
 * Each operator replica's own links to the apiserver and to the Patronus API: a loopback proxy
 * per replica and API (link-proxy.ts), so one replica can be partitioned from either while the
 * others and the harness still reach both, and so every request a replica sends is known by its
 * caller. The replica's kubeconfig is the run's ServiceAccount kubeconfig with the server and CA
 * of its proxy; its Patronus URL is its proxy's.
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
  private readonly links = new Map<string, Record<LinkApi, LinkProxy>>();
  private readonly log: CallerRequest[] = [];
  private dropped = 0;
  private tls: Promise<ProxyTls> | undefined;
  private base:
    | Promise<{ doc: z.infer<typeof Kubeconfig>; server: string; ca: Buffer | undefined }>
    | undefined;

  private readonly o: {
    /** The ServiceAccount kubeconfig every replica would use without links. */
    kubeconfig: string;
    patronusUrl: string;
    dir: string;
  };

  constructor(options: ReplicaLinks["o"]) {
    this.o = options;
  }

  /** Starts the links of a replica about to start as `identity`. */
  async open(identity: string): Promise<ReplicaEndpoints> {
    this.tls ??= createProxyTls();
    this.base ??= this.readBase();
    const [tls, base] = await Promise.all([this.tls, this.base]);
    const record = (api: LinkApi) => (r: { method: string; path: string; at: number }) => {
      if (this.log.length >= MAX_REQUESTS) this.dropped++;
      else this.log.push({ caller: identity, api, ...r });
    };
    const apiserver = new LinkProxy({
      upstream: base.server,
      serving: { certPem: tls.certPem, keyPem: tls.keyPem },
      ...(base.ca ? { upstreamCa: base.ca } : {}),
      onForward: record("apiserver"),
    });
    const patronus = new LinkProxy({ upstream: this.o.patronusUrl, onForward: record("patronus-api") });
    const [apiserverUrl, patronusUrl] = await Promise.all([apiserver.listen(), patronus.listen()]);
    this.links.set(identity, { apiserver, "patronus-api": patronus });
    const doc = structuredClone(base.doc);
    const cluster = doc.clusters[0]!.cluster;
    cluster.server = apiserverUrl;
    delete cluster["certificate-authority"];
    cluster["certificate-authority-data"] = Buffer.from(tls.caPem).toString("base64");
    const kubeconfig = join(this.o.dir, `${identity}.link.kubeconfig`);
    await writeFile(kubeconfig, stringify(doc), { mode: 0o600 });
    return { kubeconfig, patronusUrl };
  }

  link(identity: string, api: LinkApi): LinkProxy {
    const l = this.links.get(identity)?.[api];
    if (!l) throw new HarnessError(`operator replica ${identity} has no ${api} link to partition`);
    return l;
  }

  /** Every request forwarded so far, oldest first, and how many were not kept (over the cap). */
  requests(): { requests: readonly CallerRequest[]; dropped: number } {
    return { requests: this.log, dropped: this.dropped };
  }

  /** Ends every partition (a run that stops mid-fault must not leave a replica cut off). */
  healAll(): void {
    for (const l of this.links.values()) for (const p of Object.values(l)) p.heal();
  }

  async closeAll(): Promise<void> {
    const all = [...this.links.values()].flatMap((l) => Object.values(l));
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
