/**
 * List-then-watch of one resource in a namespace, kept alive for the whole run: bookmarks on,
 * re-list on 410 Gone, restart with capped backoff after any other error or end of stream.
 * Handlers see every object once from the list (as ADDED) and then every change, each stamped
 * with performance.now() on arrival.
 *
 * The stream is read with undici.request, split on newlines and JSON.parse'd, as the operator's
 * informer does: client-node's Watch (fetch → web stream → Node stream → readline, then its
 * ObjectSerializer) cost the harness more CPU than the apiserver it measures can spare during a
 * 1000-Site burst, and its 30 s inactivity timeout cut quiet watches twice a minute.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { type Dispatcher, request } from "undici";
import {
  type ClusterAccess,
  clusterAccessFromKubeConfig,
} from "../../../operator/runtime/kube/cluster-access.ts";
import { WatchLines } from "../../../operator/runtime/kube/watch-lines.ts";
import type { CrObject, KubeObjects } from "../../load/kube/client.ts";

/**
 * A watch that sends nothing for this long is re-opened from the last resourceVersion. Longer
 * than the apiserver's bookmark interval (~1 min), so a quiet but healthy watch stays open.
 */
const WATCH_INACTIVITY_MS = 90_000;

/** A watch request the apiserver answered with something other than 200. */
export class WatchHttpError extends Error {
  override name = "WatchHttpError";
  readonly statusCode: number;
  constructor(path: string, statusCode: number, body: string) {
    super(`WATCH ${path}: HTTP ${statusCode} ${body.slice(0, 300)}`.trim());
    this.statusCode = statusCode;
  }
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";
export type WatchHandler = (type: WatchEventType, obj: CrObject, at: number) => void;

export interface ResourceWatchOptions {
  objects: KubeObjects;
  kc: KubeConfig;
  /** e.g. /apis/sdwan.patronus.io/v1alpha1/namespaces/ns/sites */
  path: string;
  kind: string;
  namespace: string;
  apiVersion?: string;
  onEvent: WatchHandler;
  onError?: (err: unknown) => void;
}

export class ResourceWatch {
  private readonly options: ResourceWatchOptions;
  private abort: AbortController | undefined;
  private stopped = false;
  private resourceVersion = "";
  private failures = 0;
  /** Last seen object per name (metadata only matters), to synthesize deletes on a re-list. */
  private known = new Map<string, CrObject>();
  private timer: NodeJS.Timeout | undefined;
  private access: ClusterAccess | undefined;
  /** Keep-alive connections of this watch, reused across re-watches; closed by stop(). */
  private pool: Promise<Dispatcher> | undefined;
  /** How many times the watch had to be re-established (shown in the run's events). */
  restarts = 0;

  constructor(options: ResourceWatchOptions) {
    this.options = options;
  }

  async start(): Promise<void> {
    await this.relist();
    await this.watch();
  }

  /** Re-lists now (as after a 410); objects gone since the last list are reported deleted. */
  resync(): Promise<void> {
    return this.relist();
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.options.objects.list(
      this.options.kind,
      this.options.namespace,
      this.options.apiVersion,
    );
    const at = performance.now();
    // A re-list replaces what we knew (as an informer's Replace): objects that vanished while
    // the watch was down are reported deleted, or their deletion would never be observed.
    const listed = new Set<string>();
    for (const obj of items) {
      const name = obj.metadata?.name;
      if (name) listed.add(name);
      this.options.onEvent("ADDED", obj, at);
    }
    for (const [name, obj] of this.known) {
      if (!listed.has(name)) this.options.onEvent("DELETED", obj, at);
    }
    this.known = new Map([...listed].map((name) => [name, { metadata: { name } }]));
    this.resourceVersion = resourceVersion;
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    const ctrl = new AbortController();
    this.abort = ctrl;
    let idle = false;
    const inactivity = setTimeout(() => {
      idle = true;
      ctrl.abort();
    }, WATCH_INACTIVITY_MS);
    inactivity.unref();
    let body: Dispatcher.ResponseData["body"];
    try {
      body = await this.open(ctrl.signal);
    } catch (err) {
      clearTimeout(inactivity);
      // An expired resourceVersion can also be refused outright rather than as an ERROR event.
      if (err instanceof WatchHttpError && err.statusCode === 410) this.resourceVersion = "";
      this.restart(err);
      return;
    }
    // Read in the background: start() resolves once the watch is established.
    void this.read(body, inactivity).then(
      () => this.restart(idle ? new Error(`watch idle for ${WATCH_INACTIVITY_MS / 1000} s`) : undefined),
      (err: unknown) =>
        this.restart(idle ? new Error(`watch idle for ${WATCH_INACTIVITY_MS / 1000} s`) : err),
    );
  }

  private async open(signal: AbortSignal): Promise<Dispatcher.ResponseData["body"]> {
    this.access ??= clusterAccessFromKubeConfig(this.options.kc);
    this.pool ??= this.access.dispatcher(2);
    const query = new URLSearchParams({ watch: "true", allowWatchBookmarks: "true" });
    if (this.resourceVersion) query.set("resourceVersion", this.resourceVersion);
    const res = await request(`${this.access.server}${this.options.path}?${query}`, {
      method: "GET",
      headers: { ...(await this.access.authHeaders()), accept: "application/json" },
      dispatcher: await this.pool,
      signal,
      // Events come whenever objects change; the inactivity timer judges silence.
      bodyTimeout: 0,
    });
    if (res.statusCode === 200) return res.body;
    throw new WatchHttpError(this.options.path, res.statusCode, await res.body.text().catch(() => ""));
  }

  private async read(body: Dispatcher.ResponseData["body"], inactivity: NodeJS.Timeout): Promise<void> {
    const lines = new WatchLines();
    body.setEncoding("utf8");
    try {
      for await (const chunk of body as AsyncIterable<string>) {
        inactivity.refresh();
        for (const line of lines.push(chunk)) this.onLine(line);
      }
    } finally {
      clearTimeout(inactivity);
    }
  }

  private onLine(line: string): void {
    let event: { type?: string; object?: CrObject };
    try {
      event = JSON.parse(line);
    } catch {
      return; // as client-node's Watch did: a line that is not JSON carries no event
    }
    const { type, object: obj } = event;
    if (!type || !obj) return;
    this.failures = 0;
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (type === "BOOKMARK") return;
    if (type === "ERROR") {
      // A 410 arrives as an ERROR event with a Status object; the apiserver then ends the stream.
      if ((obj as { code?: number }).code === 410) this.resourceVersion = "";
      return;
    }
    const name = obj.metadata?.name;
    if (name) {
      if (type === "DELETED") this.known.delete(name);
      else this.known.set(name, { metadata: { name } });
    }
    this.options.onEvent(type as WatchEventType, obj, performance.now());
  }

  private restart(err: unknown): void {
    if (this.stopped) return;
    if (err) this.options.onError?.(err);
    this.restarts++;
    const delay = Math.min(5000, 100 * 2 ** this.failures++);
    this.timer = setTimeout(() => {
      const resume = this.resourceVersion === "" ? this.relist().then(() => this.watch()) : this.watch();
      resume.catch((e: unknown) => this.restart(e));
    }, delay);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort?.abort();
    void this.pool?.then((d) => d.destroy()).catch(() => undefined);
  }
}
