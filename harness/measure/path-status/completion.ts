/**
 * Whether the Paths match the tunnels expected: every expected tunnel is a Path whose status has
 * a state other than Unknown, and no other Path exists. Counted as Path events arrive and
 * recounted only when the expected set changes, so the wait-for "paths" check is O(1); walking
 * every tunnel every 50 ms through a 1000-Site burst cost the harness CPU the apiserver needed.
 */
export class PathCompletion {
  private readonly states = new Map<string, string | undefined>();
  private expected: ReadonlySet<string> = new Set();
  /** Expected tunnels whose Path reports a state. */
  private withState = 0;
  /** Paths that are not expected tunnels. */
  private unexpected = 0;

  get pathCount(): number {
    return this.states.size;
  }

  get expectedCount(): number {
    return this.expected.size;
  }

  /** Expected tunnels whose Path reports a state. */
  get reportingCount(): number {
    return this.withState;
  }

  get complete(): boolean {
    return this.withState === this.expected.size && this.unexpected === 0;
  }

  /** A Path exists (added or modified) with this status state. */
  set(name: string, state: string | undefined): void {
    const had = this.states.has(name);
    const before = had && hasState(this.states.get(name));
    this.states.set(name, state);
    if (this.expected.has(name)) this.withState += Number(hasState(state)) - Number(before);
    else if (!had) this.unexpected++;
  }

  delete(name: string): void {
    if (!this.states.has(name)) return;
    const before = hasState(this.states.get(name));
    this.states.delete(name);
    if (this.expected.has(name)) this.withState -= Number(before);
    else this.unexpected--;
  }

  setExpected(ids: ReadonlySet<string>): void {
    this.expected = ids;
    this.withState = 0;
    for (const id of ids) if (this.states.has(id) && hasState(this.states.get(id))) this.withState++;
    this.unexpected = 0;
    for (const name of this.states.keys()) if (!ids.has(name)) this.unexpected++;
  }

  /** Up to `limit` expected tunnels without a Path state (for the timeout message). */
  missing(limit: number): string[] {
    const out: string[] = [];
    for (const id of this.expected) {
      if (out.length >= limit) break;
      if (!hasState(this.states.get(id))) out.push(id);
    }
    return out;
  }

  /** Up to `limit` Paths that are not expected tunnels. */
  extra(limit: number): string[] {
    const out: string[] = [];
    for (const name of this.states.keys()) {
      if (out.length >= limit) break;
      if (!this.expected.has(name)) out.push(name);
    }
    return out;
  }
}

function hasState(state: string | undefined): boolean {
  return state !== undefined && state !== "Unknown";
}
