/**
 * Every PromQL expression a dashboard holds — its panels' queries, its annotations and its
 * variables' selectors — and how Grafana fills in their variables, so a test can evaluate each
 * against a Prometheus the way Grafana would.
 */
import type { Dashboard } from "./panels.ts";

export interface DashboardQuery {
  /** Where it is: `panel "Title" A`, `annotation "Faults"`, `variable run_id`. */
  where: string;
  expr: string;
  /** Evaluated at the end of the time range only (Grafana's instant queries). */
  instant: boolean;
}

/** Grafana's Prometheus data source's default scrape interval, which $__rate_interval follows. */
const SCRAPE_SECONDS = 15;
const LABEL_VALUES = /^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/;

export function dashboardQueries(d: Dashboard): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const panel of d.panels ?? []) {
    if (!("targets" in panel)) continue;
    for (const t of panel.targets ?? []) {
      const target = t as { expr?: string; refId?: string; instant?: boolean };
      if (target.expr)
        out.push({
          where: `panel "${panel.title}" ${target.refId}`,
          expr: target.expr,
          instant: target.instant === true,
        });
    }
  }
  for (const a of d.annotations?.list ?? []) {
    const expr = (a as { expr?: string }).expr;
    if (expr) out.push({ where: `annotation "${a.name}"`, expr, instant: false });
  }
  for (const v of d.templating?.list ?? []) {
    if (v.type !== "query") continue;
    const definition = typeof v.query === "string" ? v.query : (v.query as { query?: string })?.query;
    const m = definition ? LABEL_VALUES.exec(definition) : null;
    // label_values(selector, label): Grafana asks for the selector's series anywhere in the
    // time range (the series API), not at each step — so: any sample in the range, by the label.
    if (m)
      out.push({
        where: `variable ${v.name}`,
        expr: `count by (${m[2]}) (last_over_time(${m[1]}[$__range]))`,
        instant: true,
      });
  }
  return out;
}

/** The variables a dashboard's expressions use (`$name`, Grafana's own `$__…` excepted). */
export function usedVariables(expr: string): string[] {
  return [...expr.matchAll(/\$(?!__)([a-zA-Z_][a-zA-Z0-9_]*)/g)].map((m) => m[1]!);
}

/**
 * An expression with its variables filled in: `values` for the dashboard's own (a run's labels),
 * and Grafana's built-in intervals for a query over `rangeSeconds` at `stepSeconds`.
 */
export function substitute(
  expr: string,
  values: Record<string, string>,
  rangeSeconds: number,
  stepSeconds: number,
): string {
  const builtins: Record<string, string> = {
    // Grafana's: max($__interval + scrape interval, 4 × scrape interval), its default scrape 15 s.
    __rate_interval: `${Math.max(stepSeconds + SCRAPE_SECONDS, 4 * SCRAPE_SECONDS)}s`,
    __interval: `${stepSeconds}s`,
    __range: `${Math.ceil(rangeSeconds)}s`,
  };
  return expr.replace(/\$(__[a-z_]+|[a-zA-Z_][a-zA-Z0-9_]*)/g, (whole, name: string) => {
    const value = builtins[name] ?? values[name];
    return value ?? whole;
  });
}
