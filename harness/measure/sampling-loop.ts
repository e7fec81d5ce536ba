/**
 * A measurement's periodic sampler: one round every interval, and a slow round (a stalled event
 * loop, a slow endpoint) never overlapped by the next — that one is skipped instead.
 */
export class SamplingLoop {
  private readonly timer: NodeJS.Timeout;
  private busy = false;
  private round: Promise<void> = Promise.resolve();

  constructor(intervalMs: number, sample: () => Promise<void>) {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.round = sample().finally(() => {
        this.busy = false;
      });
    }, intervalMs);
  }

  /** No round after this; resolves once the one in flight, if any, is done. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }
}
