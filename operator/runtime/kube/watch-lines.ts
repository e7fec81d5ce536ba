/**
 * Splits a watch stream's text into its lines (one JSON event each), holding back an incomplete
 * last line until the chunk that ends it arrives. The operator's informers and the harness's
 * watches read their streams through it.
 */
export class WatchLines {
  private partial = "";

  /** The complete, non-empty lines this chunk finishes. */
  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const end = text.lastIndexOf("\n");
    if (end < 0) {
      this.partial = text;
      return [];
    }
    this.partial = text.slice(end + 1);
    return text
      .slice(0, end)
      .split("\n")
      .filter((line) => line.trim() !== "");
  }
}
