/**
 * The ids a client sees through the router and the shard-local ids behind them. Routing pushes
 * go to one shard: their operation id is the shard's, prefixed `s<shard>-`. Policy applies and
 * link faults span shards: the router gives them ids of its own and remembers the parts.
 */
export interface Part {
  shard: number;
  id: string;
}

const SHARD_OP = /^s(\d+)-(.+)$/;

export function shardOperationId(shard: number, id: string): string {
  return `s${shard}-${id}`;
}

export function parseShardOperationId(id: string): Part | undefined {
  const m = SHARD_OP.exec(id);
  return m ? { shard: Number(m[1]), id: m[2]! } : undefined;
}

/** Router ids for things spanning shards, with the reverse lookup from a shard's own id. */
export class CompositeIds<T> {
  private readonly byId = new Map<string, { parts: Part[]; value: T }>();
  private readonly byPart = new Map<string, string>();
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  set(id: string, parts: Part[], value: T): void {
    this.byId.set(id, { parts, value });
    for (const p of parts) this.byPart.set(`${p.shard}/${p.id}`, id);
    if (this.byId.size > this.limit) {
      const [oldest, entry] = this.byId.entries().next().value!;
      this.byId.delete(oldest);
      for (const p of entry.parts) this.byPart.delete(`${p.shard}/${p.id}`);
    }
  }

  get(id: string): { parts: Part[]; value: T } | undefined {
    return this.byId.get(id);
  }

  idOfPart(shard: number, id: string): string | undefined {
    return this.byPart.get(`${shard}/${id}`);
  }

  delete(id: string): void {
    const e = this.byId.get(id);
    if (!e) return;
    this.byId.delete(id);
    for (const p of e.parts) this.byPart.delete(`${p.shard}/${p.id}`);
  }
}
