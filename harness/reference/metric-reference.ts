/** The metrics catalog of docs/metrics.md, read from harness/results/metric-catalog.ts. */
import { METRIC_CATALOG } from "../results/metric-catalog.ts";

const BETTER = { lower: "lower", higher: "higher", neutral: "—" } as const;

export function metricReference(): string {
  const rows = Object.entries(METRIC_CATALOG).map(([name, m]) => {
    const labels = m.labels && m.labels.length > 0 ? m.labels.map((l) => `\`${l}\``).join(", ") : "";
    return `| \`${name}\` | ${m.unit} | ${BETTER[m.better]} | ${labels} | ${m.description.replace(/\|/g, "\\|")} |`;
  });
  return [
    "| metric | unit | better | labels | what it measures |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
