/** docs/outputs.md's list of the shipped Grafana dashboards and what each panel shows, from their code. */
import { shippedDashboards } from "../outputs/grafana/index.ts";

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

export async function dashboardReference(): Promise<string> {
  const out: string[] = [];
  for (const { file, dashboard } of await shippedDashboards()) {
    const variables = (dashboard.templating?.list ?? []).map((v) => `\`${v.name}\``).join(", ");
    out.push(`#### ${dashboard.title} — \`dashboards/${file}\``, "");
    out.push(`${dashboard.description ?? ""} Variables: ${variables}.`, "");
    const annotations = (dashboard.annotations?.list ?? []).map((a) => a.name);
    if (annotations.length > 0) out.push(`Annotations: ${annotations.join(", ")}.`, "");
    out.push("| panel | shows |", "| --- | --- |");
    for (const p of dashboard.panels ?? [])
      out.push(`| ${cell(p.title ?? "")} | ${cell("description" in p ? (p.description ?? "") : "")} |`);
    out.push("");
  }
  return out.join("\n").trimEnd();
}
