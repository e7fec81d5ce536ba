/**
 * A watch stream's bytes as its lines, one JSON event each. Chunks end anywhere: inside a line
 * (held back until the chunk that ends it) or inside a multi-byte character (the decoder keeps its
 * first bytes).
 */
import { StringDecoder } from "node:string_decoder";

export class JsonLines {
  private readonly decoder = new StringDecoder("utf8");
  private rest = "";

  /** The complete, non-blank lines this chunk finishes. */
  push(chunk: Buffer): string[] {
    const lines = (this.rest + this.decoder.write(chunk)).split("\n");
    this.rest = lines.pop() ?? "";
    return lines.filter((line) => line.trim() !== "");
  }
}
