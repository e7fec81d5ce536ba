/**
 * Errors the CLI shows as one line: what went wrong and how to fix it. Anything else is a bug
 * and is shown with its stack only under --debug.
 */
export class HarnessError extends Error {
  override name = "HarnessError";
  readonly fix: string | undefined;
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.fix = options.fix;
  }
}

/**
 * The user stopped a run (Ctrl-C, SIGTERM): it ended its phase, removed what it created and stopped
 * its processes, and wrote no results (they would look complete). Exit 130 / 143, as a shell would.
 */
export class Interrupted extends HarnessError {
  override name = "Interrupted";
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super(`interrupted by ${signal}: the run stopped and cleaned up; no results were written`);
    this.signal = signal;
  }
}

/** A threshold failed: the run itself worked, the verdict is "fail" (exit 99, as k6). */
export class ThresholdFailure extends Error {
  override name = "ThresholdFailure";
}

/**
 * Nothing failed, but some verdict could not be judged: a run whose timings other work on the
 * machine spoiled (its timing thresholds "inconclusive"). Exit 98: not a pass, not a failure.
 */
export class Inconclusive extends Error {
  override name = "Inconclusive";
}

export const EXIT = { ok: 0, harnessError: 1, inconclusive: 98, thresholdFailed: 99 } as const;

export function describeError(err: unknown): string {
  if (err instanceof HarnessError) return err.fix ? `${err.message} — fix: ${err.fix}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
