/**
 * A shared informer: LIST then WATCH (with bookmarks) one resource in one namespace into an
 * indexed cache, and tell handlers what changed. It is the operator's only read path.
 * Recovery follows client-go's reflector: 410 Gone (or an expired resourceVersion) → re-list;
 * a watch that ends normally or idles out → re-watch from the last resourceVersion at once;
 * other errors → re-watch after a jittered exponential backoff.
 */
import type { Logger } from "pino";
import { type KubeObject, objectKey, type ResourceRef, resourcePath } from "../kube/resources.ts";
import { isGone, type RestClient } from "../kube/rest-client.ts";
import { WatchLines } from "../kube/watch-lines.ts";
import type { OperatorMetrics } from "../metrics/registry.ts";
import { sleep } from "../ratelimit/token-bucket.ts";
import { IndexedStore, type IndexFunc } from "./store.ts";

export interface InformerHandlers<T> {
  add?(obj: T): void;
  update?(old: T, obj: T): void;
  delete?(obj: T): void;
}

export interface InformerOptions<T> {
  rest: RestClient;
  resource: ResourceRef;
  namespace: string;
  indexers?: Record<string, IndexFunc<T>>;
  metrics: OperatorMetrics;
  logger: Logger;
  pageSize?: number;
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Applied to every object before it enters the cache (controller-runtime's cache TransformFunc).
   * Default: `stripUnusedFields`.
   */
  transform?: (obj: T) => T;
}

/**
 * managedFields are the apiserver's bookkeeping for server-side apply; the operator never reads
 * them, and on a Path with a status they are more than half of the object (measured: 3.6 KB of
 * heap per cached Path with them, 1.5 KB without). The last-applied annotation of `kubectl apply`
 * repeats the whole spec. Both are dropped on ingest, as controller-runtime users do with
 * cache.TransformStripManagedFields.
 */
export function stripUnusedFields<T extends KubeObject>(obj: T): T {
  const meta = obj.metadata as KubeObject["metadata"] & { managedFields?: unknown };
  if (meta) {
    delete meta.managedFields;
    const ann = meta.annotations;
    if (ann && LAST_APPLIED in ann) {
      delete ann[LAST_APPLIED];
      if (Object.keys(ann).length === 0) delete meta.annotations;
    }
  }
  return obj;
}

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

interface ListResponse<T> {
  metadata: { resourceVersion: string; continue?: string };
  items: T[];
}

type WatchEnd = "gone" | "closed" | "idle" | "error";

/**
 * A watch that sends nothing for this long is re-opened from the last resourceVersion. Longer
 * than the apiserver's bookmark interval (~1 min); client-node's Watch used 30 s, which cut a
 * quiet resource twice a minute (test/integration/operator/informer.test.ts keeps one open 65 s).
 */
const WATCH_INACTIVITY_MS = 90_000;

export class Informer<T extends KubeObject> {
  readonly store: IndexedStore<T>;
  readonly resource: ResourceRef;
  private readonly opts: InformerOptions<T>;
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly log: Logger;
  private resourceVersion = "";
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private stopped = false;
  private abortWatch: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private readonly stopSignal = new AbortController();

  constructor(opts: InformerOptions<T>) {
    this.opts = opts;
    this.resource = opts.resource;
    this.store = new IndexedStore<T>(opts.indexers);
    this.log = opts.logger.child({ informer: opts.resource.plural });
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  /** Registers handlers; with replay, they first see every cached object as an add (as a late-started controller does). */
  addHandlers(h: InformerHandlers<T>, replay = true): void {
    this.handlers.push(h);
    if (replay && h.add) for (const obj of this.store.values()) h.add(obj);
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal.abort(new Error("informer stopped"));
    this.abortWatch?.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { initialMs, maxMs } = this.opts.backoff ?? { initialMs: 800, maxMs: 30_000 };
    let failures = 0;
    let needList = true;
    let listReason = "initial";
    while (!this.stopped) {
      try {
        if (needList) {
          await this.list(listReason);
          needList = false;
        }
        const end = await this.watchOnce();
        if (end === "gone") {
          needList = true;
          listReason = "gone";
          this.opts.metrics.informerWatchRestarts.inc({ resource: this.resource.plural, reason: "gone" });
          failures = 0;
          continue;
        }
        this.opts.metrics.informerWatchRestarts.inc({ resource: this.resource.plural, reason: end });
        if (end === "closed" || end === "idle") {
          failures = 0;
          continue;
        }
        failures++;
      } catch (err) {
        if (this.stopped) break;
        if (isGone(err)) {
          needList = true;
          listReason = "gone";
          continue;
        }
        failures++;
        if (needList) listReason = "error";
        this.log.warn({ err: String(err), failures }, "informer list/watch failed; backing off");
      }
      if (failures > 0 && !this.stopped) {
        const base = Math.min(maxMs, initialMs * 2 ** Math.min(failures - 1, 20));
        const delay = base * (0.5 + Math.random() * 0.5);
        await sleep(delay, this.stopSignal.signal).catch(() => {});
      }
    }
  }

  private async list(reason: string): Promise<void> {
    const { rest, resource, namespace } = this.opts;
    const path = resourcePath(resource, namespace);
    const seen = new Set<string>();
    let cont: string | undefined;
    let rv = "";
    this.opts.metrics.informerRelists.inc({ resource: resource.plural, reason });
    do {
      const page = await rest.get<ListResponse<T>>(path, {
        limit: this.opts.pageSize ?? 500,
        continue: cont,
      });
      for (const item of page.items) {
        seen.add(objectKey(item));
        this.apply("upsert", item);
      }
      cont = page.metadata.continue || undefined;
      rv = page.metadata.resourceVersion;
    } while (cont);
    // Objects deleted while we were not watching.
    const gone: string[] = [];
    for (const key of this.store.keys()) if (!seen.has(key)) gone.push(key);
    for (const key of gone) {
      const old = this.store.get(key);
      if (old) this.apply("delete", old);
    }
    this.resourceVersion = rv;
    this.log.debug({ reason, objects: this.store.size, resourceVersion: rv }, "listed");
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private async watchOnce(): Promise<WatchEnd> {
    const { rest, resource, namespace } = this.opts;
    if (this.stopped) return "closed";
    const ctrl = new AbortController();
    this.abortWatch = ctrl;
    if (this.stopped) ctrl.abort();
    let idle = false;
    let gone = false;
    // An inactivity timer, refreshed on every chunk (refresh() re-arms it without a new timer).
    // The apiserver sends bookmarks about once a minute, so a quiet but healthy watch stays open.
    const timer = setTimeout(() => {
      idle = true;
      ctrl.abort(new Error("watch idle"));
    }, WATCH_INACTIVITY_MS);
    try {
      // Server-side timeout spreads reconnects like client-go's reflector (5–10 min).
      const body = await rest.openWatch(
        resourcePath(resource, namespace),
        {
          allowWatchBookmarks: true,
          resourceVersion: this.resourceVersion,
          timeoutSeconds: 300 + Math.floor(Math.random() * 300),
        },
        ctrl.signal,
      );
      body.setEncoding("utf8");
      const lines = new WatchLines();
      for await (const chunk of body as AsyncIterable<string>) {
        timer.refresh();
        for (const line of lines.push(chunk)) if (this.onWatchLine(line)) gone = true;
      }
      return gone ? "gone" : "closed";
    } catch (err) {
      if (gone || isGone(err)) return "gone";
      if (this.stopped) return "closed";
      if (idle) return "idle";
      this.log.debug({ err: String(err) }, "watch ended with error");
      return "error";
    } finally {
      clearTimeout(timer);
      this.abortWatch = undefined;
    }
  }

  /** Applies one watch event; true when it says the resourceVersion is gone (410). */
  private onWatchLine(line: string): boolean {
    let event: { type?: string; object?: unknown };
    try {
      event = JSON.parse(line);
    } catch {
      this.log.warn({ line: line.slice(0, 200) }, "watch sent a line that is not JSON; skipped");
      return false;
    }
    if (event.type === "ERROR") {
      const status = event.object as { code?: number; message?: string } | undefined;
      this.log.debug({ status }, "watch error event");
      return status?.code === 410;
    }
    const o = event.object as T | undefined;
    if (!o?.metadata) return false;
    const rv = o.metadata.resourceVersion;
    if (event.type === "BOOKMARK") {
      if (rv) this.resourceVersion = rv;
      return false;
    }
    if (event.type === "ADDED" || event.type === "MODIFIED") this.apply("upsert", o);
    else if (event.type === "DELETED") this.apply("delete", o);
    if (rv) this.resourceVersion = rv;
    return false;
  }

  private apply(op: "upsert" | "delete", obj: T): void {
    obj = (this.opts.transform ?? stripUnusedFields)(obj);
    if (op === "upsert") {
      const old = this.store.upsert(obj);
      if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
      for (const h of this.handlers) {
        try {
          if (old) h.update?.(old, obj);
          else h.add?.(obj);
        } catch (err) {
          this.log.error({ err }, "informer handler threw");
        }
      }
    } else {
      const old = this.store.remove(objectKey(obj));
      if (!old) return;
      for (const h of this.handlers) {
        try {
          h.delete?.(old);
        } catch (err) {
          this.log.error({ err }, "informer handler threw");
        }
      }
    }
    this.opts.metrics.informerObjects.set({ resource: this.resource.plural }, this.store.size);
  }
}
