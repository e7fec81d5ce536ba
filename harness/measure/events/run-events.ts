/**
 * The run's own timeline for results.json `events`: phase marks, injected faults, recoveries,
 * watch restarts. Times are seconds since the run started (monotonic clock).
 */
export interface RunEvent {
  t: number;
  kind: string;
  source: string;
  detail: Record<string, unknown>;
}

export class RunEventLog {
  private readonly list: RunEvent[] = [];
  private readonly origin: number;
  private readonly listeners = new Set<(e: RunEvent) => void>();

  constructor(origin: number = performance.now()) {
    this.origin = origin;
  }

  record(
    kind: string,
    source: string,
    detail: Record<string, unknown> = {},
    at = performance.now(),
  ): RunEvent {
    const e = { t: Math.round(at - this.origin) / 1000, kind, source, detail };
    this.list.push(e);
    for (const l of this.listeners) l(e);
    return e;
  }

  subscribe(listener: (e: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  all(): RunEvent[] {
    return [...this.list].sort((a, b) => a.t - b.t);
  }
}
