/** `patronus-bench list`: the built-in scenarios with their descriptions. */
import type { Command } from "commander";
import {
  builtinNames,
  importScenarioModule,
  resolveScenario,
  validateScenario,
} from "../../scenario/load.ts";

export function register(program: Command): void {
  program
    .command("list")
    .description("List the built-in scenarios")
    .option("--json", "print as JSON")
    .action(async (o: { json?: boolean }) => {
      const rows: Array<{ name: string; description: string; sites: number; phases: number }> = [];
      for (const name of builtinNames()) {
        const { path } = resolveScenario(name);
        const def = validateScenario(await importScenarioModule(path), path);
        rows.push({ name, description: def.description, sites: def.mesh.sites, phases: def.phases.length });
      }
      if (o.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      const width = Math.max(...rows.map((r) => r.name.length), 4);
      for (const r of rows) console.log(`${r.name.padEnd(width)}  ${r.description}`);
    });
}
