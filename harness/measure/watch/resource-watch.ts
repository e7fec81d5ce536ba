/**
 * List-then-watch of one resource in a namespace, kept alive for the whole run: bookmarks on,
 * re-list on 410 Gone, restart with capped backoff after any other error (client-node's Watch
 * ends on errors and never retries by itself). Handlers see every object once from the list
 * (as ADDED) and then every change, each stamped with performance.now() on arrival.
 */
import { type KubeConfig, Watch } from "@kubernetes/client-node";
import type { CrObject, KubeObjects } from "../../load/kube/client.ts";

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
    const w = new Watch(this.options.kc);
    this.abort = await w.watch(
      this.options.path,
      { allowWatchBookmarks: true, resourceVersion: this.resourceVersion },
      (type: string, obj: CrObject) => {
        this.failures = 0;
        const rv = obj?.metadata?.resourceVersion;
        if (rv) this.resourceVersion = rv;
        if (type === "BOOKMARK") return;
        if (type === "ERROR") {
          // A 410 arrives as an ERROR event with a Status object.
          if ((obj as { code?: number }).code === 410) this.resourceVersion = "";
          return;
        }
        const name = obj?.metadata?.name;
        if (name) {
          if (type === "DELETED") this.known.delete(name);
          else this.known.set(name, { metadata: { name } });
        }
        this.options.onEvent(type as WatchEventType, obj, performance.now());
      },
      (err: unknown) => this.restart(err),
    );
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
