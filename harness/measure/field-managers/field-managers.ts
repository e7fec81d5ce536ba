/**
 * Who the apiserver says wrote the run's objects: at the end, the field managers in the
 * managedFields of its Sites and Policies (the harness's own left out), with how many objects
 * each manages. Replicas that name themselves apart (a field manager per identity) show here as
 * several managers of the same objects; replicas that do not look like one writer to the apiserver.
 */
import type { KindSpec } from "../../operators/definition.ts";
import type { Measurement, MeasurementContext } from "../measurement.ts";

const HARNESS_MANAGER = "patronus-bench";

interface ManagedField {
  manager?: string;
  subresource?: string;
}

/** Objects per field manager (`name` or `name (status)`), the harness's own left out. Pure. */
export function managersOf(
  objects: ReadonlyArray<{ metadata?: { managedFields?: unknown } }>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const obj of objects) {
    const seen = new Set<string>();
    for (const f of (obj.metadata?.managedFields ?? []) as ManagedField[]) {
      if (!f.manager || f.manager === HARNESS_MANAGER) continue;
      seen.add(f.subresource ? `${f.manager} (${f.subresource})` : f.manager);
    }
    for (const m of seen) out.set(m, (out.get(m) ?? 0) + 1);
  }
  return out;
}

export class FieldManagersMeasurement implements Measurement {
  readonly name = "field-managers";

  async start(): Promise<void> {}

  async stop(ctx: MeasurementContext): Promise<void> {
    const kinds = [ctx.kinds.Site, ctx.kinds.Policy].filter((k): k is KindSpec => k !== undefined);
    const managers = new Map<string, number>();
    let objects = 0;
    for (const kind of kinds) {
      const items = (await ctx.objects.list(kind, ctx.namespace)).items;
      objects += items.length;
      for (const [m, n] of managersOf(items)) managers.set(m, (managers.get(m) ?? 0) + n);
    }
    ctx.events.record("field-managers", this.name, {
      objects,
      managers: Object.fromEntries([...managers].sort((a, b) => b[1] - a[1]).slice(0, 20)),
    });
  }
}
