/**
 * The dashboards the repository ships (dashboards/*.json): benchmark history, one run, and the
 * own metrics of each built-in operator. `npm run dashboards:generate` writes them; a test fails
 * when a committed file differs from what this code generates.
 */
import { join } from "node:path";
import { builtinOperatorNames } from "../../operators/builtin/index.ts";
import { loadOperatorDefinition } from "../../operators/load.ts";
import { REPO_ROOT } from "../../paths.ts";
import { historyDashboard } from "./history.ts";
import { operatorDashboard } from "./operator.ts";
import type { Dashboard } from "./panels.ts";
import { runDashboard } from "./run.ts";

export const DASHBOARDS_DIR = join(REPO_ROOT, "dashboards");

export interface DashboardFile {
  /** Relative to dashboards/. */
  file: string;
  dashboard: Dashboard;
}

export async function shippedDashboards(): Promise<DashboardFile[]> {
  const operators = await Promise.all(
    builtinOperatorNames().map(async (name) => {
      const { definition } = await loadOperatorDefinition(name);
      return { file: `operator-${name}.json`, dashboard: operatorDashboard(definition) };
    }),
  );
  return [...runDashboards(), ...operators];
}

/** The dashboards of every operator's runs: benchmark history and one run. */
export function runDashboards(): DashboardFile[] {
  return [
    { file: "history.json", dashboard: historyDashboard() },
    { file: "run.json", dashboard: runDashboard() },
  ];
}

export function dashboardJson(d: Dashboard): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}
