/** Which generated section goes into which docs page. */
import { join } from "node:path";
import { REPO_ROOT } from "../paths.ts";
import { dashboardReference } from "./dashboard-reference.ts";
import { metricReference } from "./metric-reference.ts";
import { placeholderReference } from "./operator-reference.ts";
import { scenarioReference } from "./scenario-reference.ts";

export interface GeneratedSection {
  page: string;
  name: string;
  render: () => Promise<string> | string;
}

export const GENERATED: GeneratedSection[] = [
  { page: join(REPO_ROOT, "docs", "scenarios.md"), name: "scenario-reference", render: scenarioReference },
  { page: join(REPO_ROOT, "docs", "metrics.md"), name: "metric-catalog", render: metricReference },
  {
    page: join(REPO_ROOT, "docs", "operators.md"),
    name: "operator-placeholders",
    render: placeholderReference,
  },
  { page: join(REPO_ROOT, "docs", "outputs.md"), name: "dashboards", render: dashboardReference },
];
