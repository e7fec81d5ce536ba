/** `patronus-bench list`: the built-in scenarios and operators, with what each operator has and lacks. */
import type { Command } from "commander";
import { builtinOperatorNames } from "../../operators/builtin/index.ts";
import { loadOperatorDefinition } from "../../operators/load.ts";
import { type OperatorFeatures, operatorFeatures } from "../../operators/record.ts";
import {
  builtinNames,
  importScenarioModule,
  resolveScenario,
  validateScenario,
} from "../../scenario/load.ts";

interface OperatorRow extends OperatorFeatures {
  name: string;
  description: string;
  /** Built from a source directory (--operator-source). */
  build: boolean;
}

const PLURAL = { Site: "Sites", Policy: "Policies", Mesh: "Meshes", Path: "Paths" } as const;

function featureText(r: OperatorRow): string {
  return [
    r.kinds.map((k) => PLURAL[k]).join(", "),
    r.lacks.length ? `no ${r.lacks.join("/")}` : "",
    r.leaderElection ? `leader election (Lease ${r.leaderElection})` : "no leader election",
    r.finalizers ? "finalizers" : "no finalizers",
    r.build ? "built from --operator-source" : "",
  ]
    .filter(Boolean)
    .join("; ");
}

export function register(program: Command): void {
  program
    .command("list")
    .description("List the built-in scenarios and operators")
    .option("--json", "print as JSON")
    .action(async (o: { json?: boolean }) => {
      const scenarios: Array<{ name: string; description: string; sites: number; phases: number }> = [];
      for (const name of builtinNames()) {
        const { path } = resolveScenario(name);
        const def = validateScenario(await importScenarioModule(path), path);
        scenarios.push({
          name,
          description: def.description,
          sites: def.mesh.sites,
          phases: def.phases.length,
        });
      }
      const operators: OperatorRow[] = [];
      for (const name of builtinOperatorNames()) {
        const { definition } = await loadOperatorDefinition(name);
        operators.push({
          name,
          description: definition.description,
          build: definition.build !== undefined,
          ...operatorFeatures(definition),
        });
      }
      if (o.json) {
        console.log(JSON.stringify({ scenarios, operators }, null, 2));
        return;
      }
      const width = Math.max(
        ...scenarios.map((r) => r.name.length),
        ...operators.map((r) => r.name.length),
        4,
      );
      console.log("Scenarios (patronus-bench run <scenario>):");
      for (const r of scenarios) console.log(`  ${r.name.padEnd(width)}  ${r.description}`);
      console.log("\nOperators (--operator <name>, or a definition file):");
      for (const r of operators) {
        console.log(`  ${r.name.padEnd(width)}  ${r.description}`);
        console.log(`  ${"".padEnd(width)}  ${featureText(r)}`);
      }
    });
}
