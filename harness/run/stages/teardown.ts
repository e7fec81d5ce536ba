/**
 * Last-in-first-out cleanup of a run: each stage registers how to undo what it acquired the moment
 * it acquires it, so whatever stage fails or is interrupted, exactly what exists is undone, in the
 * reverse order. A step that fails is noted and the rest still run; the notes are logged at the end
 * (a teardown problem never hides the run's own outcome).
 */
export class Teardown implements AsyncDisposable {
  private readonly stack = new AsyncDisposableStack();
  private readonly problems: string[] = [];
  private readonly log: (line: string) => void;

  constructor(log: (line: string) => void) {
    this.log = log;
  }

  /** Registers a cleanup step; `what` names it in the problems line when it fails. */
  defer(what: string, step: () => unknown): void {
    this.stack.defer(async () => {
      try {
        await step();
      } catch (err) {
        this.problems.push(`${what}: ${(err as Error).message}`);
      }
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stack.disposeAsync();
    if (this.problems.length > 0) this.log(`teardown problems: ${this.problems.join("; ")}`);
  }
}
