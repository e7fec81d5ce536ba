/**
 * Tunnel sets programmed per mesh (PUT /meshes/{name}/tunnels). A tunnel shared by two meshes is
 * modelled once; it leaves the model when no mesh programs it any more.
 */
import type { Tunnel } from "../../../contract/patronus-api/v1.ts";
import type { TunnelTable } from "../model/tunnel-table.ts";

export interface ProgramResult {
  added: number;
  removed: number;
  total: number;
}

export class MeshPrograms {
  private readonly programs = new Map<string, Map<string, Tunnel>>();
  private readonly tunnels: TunnelTable;
  private readonly resolve: (slot: number) => void;

  constructor(tunnels: TunnelTable, resolve: (slot: number) => void) {
    this.tunnels = tunnels;
    this.resolve = resolve;
  }

  get(name: string): Tunnel[] | undefined {
    const p = this.programs.get(name);
    return p ? [...p.values()] : undefined;
  }

  get meshCount(): number {
    return this.programs.size;
  }

  program(name: string, tunnels: readonly Tunnel[]): ProgramResult {
    const before = this.programs.get(name) ?? new Map<string, Tunnel>();
    const after = new Map(tunnels.map((t) => [t.id, t]));
    let added = 0;
    let removed = 0;
    for (const [id, t] of after) {
      if (before.has(id)) continue;
      added++;
      this.resolve(this.tunnels.retain(t));
    }
    for (const id of before.keys()) {
      if (after.has(id)) continue;
      removed++;
      this.tunnels.release(id);
    }
    if (after.size === 0) this.programs.delete(name);
    else this.programs.set(name, after);
    return { added, removed, total: after.size };
  }

  remove(name: string): boolean {
    if (!this.programs.has(name)) return false;
    this.program(name, []);
    return true;
  }
}
