/**
 * Cost-curve checkpoints: when as many Sites have been observed Ready as a checkpoint says, the
 * measurements' current figures (CPU, RSS, queue depth, p99 so far…) are recorded against it.
 */
import type { Measurement } from "../../measure/measurement.ts";
import type { MetricStore } from "../../measure/metrics/store.ts";
import type { Checkpoint } from "../../results/schema.ts";
import type { ScenarioDefinition } from "../../scenario/schema.ts";

export function trackCheckpoints(
  def: ScenarioDefinition,
  store: MetricStore,
  measurements: readonly Measurement[],
  tickers: NodeJS.Timeout[],
): () => Checkpoint[] {
  const pending = [...def.checkpoints].sort((a, b) => a - b);
  const taken: Checkpoint[] = [];
  tickers.push(
    setInterval(() => {
      const ready = store.hasDistribution("site_ready_latency")
        ? store.distribution("site_ready_latency").count
        : 0;
      while (pending.length > 0 && ready >= (pending[0] as number)) {
        const objects = pending.shift() as number;
        const point: Checkpoint = { objects, t: store.elapsedSeconds() };
        for (const m of measurements) Object.assign(point, m.checkpoint?.() ?? {});
        taken.push(point);
      }
    }, 250),
  );
  return () => taken;
}
