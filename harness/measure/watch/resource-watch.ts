/**
 * List-then-watch of one resource in a namespace, kept alive for the whole run: bookmarks on,
 * re-list on 410 Gone, restart with capped backoff after any other error or end of stream.
 * Handlers see every object once from the list (as ADDED) and then every change, each stamped
 * with performance.now() on arrival.
 *
 * The stream is opened through KubeObjects (the harness's own undici client), split on newlines
 * and JSON.parse'd: client-node's Watch (fetch → web stream → Node
 * stream → readline, then its ObjectSerializer) cost the harness more CPU than the apiserver it
 * measures can spare during a 1000-Site burst, and its 30 s inactivity timeout cut quiet watches
 * twice a minute.
 */
import type { CrObject, KubeObjects } from "../../load/kube/client.ts";
import { isGone } from "../../load/kube/rest.ts";
import { JsonLines } from "./json-lines.ts";

/**
 * A watch that sends nothing for this long is re-opened from the last resourceVersion. Longer
 * than the apiserver's bookmark interval (~1 min), so a quiet but healthy watch stays open.
 */
const WATCH_INACTIVITY_MS = 90_000;

type WatchBody = Awaited<ReturnType<KubeObjects["openWatch"]>>;

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";
export type WatchHandler = (type: WatchEventType, obj: CrObject, at: number) => void;

export interface ResourceWatchOptions {
  objects: KubeObjects;
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
    let body: WatchBody;
    try {
      body = await this.options.objects.openWatch(
        this.options.path,
        { allowWatchBookmarks: true, resourceVersion: this.resourceVersion || undefined },
        ctrl.signal,
      );
    } catch (err) {
      clearTimeout(inactivity);
      // An expired resourceVersion can also be refused outright rather than as an ERROR event.
      if (isGone(err)) this.resourceVersion = "";
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

  private async read(body: WatchBody, inactivity: NodeJS.Timeout): Promise<void> {
    const lines = new JsonLines();
    try {
      for await (const chunk of body) {
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
  }
}
