/**
 * `patronus-bench dashboards`: writes the Grafana dashboards for the runs' `--out prometheus-rw`
 * data into a directory — benchmark history, one run, and the own metrics of the operator under
 * test (a built-in or a definition file), from the names its definition declares.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { checkOutDir } from "../../run/output-dir.ts";

export function register(program: Command): void {
  program
    .command("dashboards")
    .description(
      "write the Grafana dashboards (benchmark history, one run, the operator's own metrics) for --out prometheus-rw data",
    )
    .option(
      "--operator <name|path>",
      "the operator whose metrics dashboard to write: a built-in or a definition file (default: every built-in)",
    )
    .option("--out <dir>", "where to write them", "dashboards")
    .addHelpText(
      "after",
      "\nImport them in Grafana (Dashboards → Import) or provision the directory; docs/outputs.md says what each panel shows.\n" +
        "Examples:\n  patronus-bench dashboards --out /var/lib/grafana/dashboards/patronus-bench\n" +
        "  patronus-bench dashboards --operator ./my-operator.ts --out grafana/",
    )
    .action(async (o: { operator?: string; out: string }) => {
      const dir = await checkOutDir(o.out);
      const { dashboardJson, runDashboards, shippedDashboards } = await import(
        "../../outputs/grafana/index.ts"
      );
      const { operatorDashboard } = await import("../../outputs/grafana/operator.ts");
      const { loadOperatorDefinition } = await import("../../operators/load.ts");
      const { writeFileAtomic } = await import("../../results/write.ts");
      const files = o.operator
        ? [
            ...runDashboards(),
            await loadOperatorDefinition(o.operator).then(({ definition }) => ({
              file: `operator-${definition.name}.json`,
              dashboard: operatorDashboard(definition),
            })),
          ]
        : await shippedDashboards();
      await mkdir(dir, { recursive: true });
      for (const { file, dashboard } of files) {
        await writeFileAtomic(join(dir, file), dashboardJson(dashboard));
        console.log(join(dir, file));
      }
    });
}
