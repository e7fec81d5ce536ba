/**
 * The operator's own /metrics as the run scrapes them, for the `--out` sinks that forward them
 * (prometheus-rw): each scrape of each replica, with the metric families its definition declares.
 * The run's figures stay in the MetricStore; this is only a pass-through of what was read.
 */
import type { Sample } from "../prometheus/parse.ts";

export interface Scrape {
  /** The replica scraped (its identity). */
  instance: string;
  /** performance.now() of the scrape. */
  at: number;
  samples: readonly Sample[];
}

export class ScrapeFeed {
  private readonly listeners = new Set<(s: Scrape) => void>();

  get followed(): boolean {
    return this.listeners.size > 0;
  }

  publish(scrape: Scrape): void {
    for (const l of this.listeners) l(scrape);
  }

  subscribe(listener: (s: Scrape) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The samples of the declared families: a name itself, or a histogram's `_bucket`/`_sum`/`_count`. */
export function declaredSamples(samples: readonly Sample[], names: readonly string[]): Sample[] {
  const wanted = new Set(names.flatMap((n) => [n, `${n}_bucket`, `${n}_sum`, `${n}_count`]));
  return samples.filter((s) => wanted.has(s.name));
}
