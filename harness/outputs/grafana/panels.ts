/**
 * The dashboards' vocabulary, typed: a panel is a title, what it shows, a unit and PromQL queries;
 * `toPanel` turns one into the Grafana Foundation SDK's builders (Grafana's own dashboard schema),
 * so the JSON in dashboards/ is generated, never edited. Every panel and query reads the
 * Prometheus chosen in the `datasource` variable.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import { VisibilityMode } from "@grafana/grafana-foundation-sdk/common";
import {
  AnnotationQueryBuilder,
  type Dashboard,
  DatasourceVariableBuilder,
  type Panel as GrafanaPanel,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from "@grafana/grafana-foundation-sdk/dashboard";
import {
  HeatmapColorMode,
  HeatmapColorOptionsBuilder,
  PanelBuilder as HeatmapPanelBuilder,
  YAxisConfigBuilder,
} from "@grafana/grafana-foundation-sdk/heatmap";
import { DataqueryBuilder, PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatPanelBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TablePanelBuilder } from "@grafana/grafana-foundation-sdk/table";
import { PanelBuilder as TimeseriesPanelBuilder } from "@grafana/grafana-foundation-sdk/timeseries";

export type { Dashboard };

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana fills in ${datasource}, the chosen Prometheus.
export const DATASOURCE = { type: "prometheus", uid: "${datasource}" } as const;

export interface Query {
  expr: string;
  /** Grafana's legend template, e.g. `{{operator}} {{git_commit}}`. */
  legend?: string;
  /** Evaluated once at the end of the time range (tables and stats of final figures). */
  instant?: boolean;
  /** Histogram buckets (series by `le`), which Grafana turns into a heatmap's rows. */
  heatmap?: boolean;
}

export interface PanelSpec {
  kind: "timeseries" | "stat" | "table" | "heatmap";
  title: string;
  /** What the panel shows, for whoever reads the dashboard (Grafana shows it on hover). */
  description: string;
  /** A Grafana unit id: ms, s, bytes, short, percentunit, reqps… (a heatmap: its y axis') */
  unit: string;
  queries: readonly Query[];
  /** Grid columns out of 24 (default 12). */
  width?: number;
  /** Grafana's "min interval": the shortest step, and so the shortest `$__interval`, e.g. `1m`. */
  minInterval?: string;
  /** A timeseries of one value per run, at the run's end: drawn as points, lines would join nothing. */
  points?: true;
}

function target(q: Query, index: number): DataqueryBuilder {
  const t = new DataqueryBuilder()
    .refId(String.fromCharCode(65 + index))
    .datasource(DATASOURCE)
    .expr(q.expr)
    .legendFormat(q.legend ?? "__auto");
  if (q.heatmap) t.format(PromQueryFormat.Heatmap);
  return q.instant ? t.instant() : t.range();
}

export function toPanel(spec: PanelSpec): cog.Builder<GrafanaPanel> {
  const targets = spec.queries.map(target);
  const common = <
    B extends TimeseriesPanelBuilder | StatPanelBuilder | TablePanelBuilder | HeatmapPanelBuilder,
  >(
    b: B,
  ): B => {
    if (spec.minInterval) b.interval(spec.minInterval);
    return (
      b
        .title(spec.title)
        .description(spec.description)
        .datasource(DATASOURCE)
        // A heatmap's cells are counts; its unit is the y axis' (the buckets' bounds).
        .unit(spec.kind === "heatmap" ? "short" : spec.unit)
        .targets(targets)
        .span(spec.width ?? 12)
        .height(8) as B
    );
  };
  if (spec.kind === "stat") return common(new StatPanelBuilder());
  if (spec.kind === "table") return common(new TablePanelBuilder());
  // The buckets as they are (calculate off): one row per `le`, observations per interval as colour.
  if (spec.kind === "heatmap")
    return common(new HeatmapPanelBuilder())
      .calculate(false)
      .yAxis(new YAxisConfigBuilder().unit(spec.unit))
      .color(
        new HeatmapColorOptionsBuilder()
          .mode(HeatmapColorMode.Scheme)
          .scheme("Oranges")
          .exponent(0.5)
          .steps(64),
      );
  const timeseries = common(new TimeseriesPanelBuilder()).fillOpacity(10).lineWidth(1);
  return spec.points ? timeseries.showPoints(VisibilityMode.Always).pointSize(6) : timeseries;
}

export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder("datasource").label("Prometheus").type("prometheus");
}

/** A variable listing one label's values among the series a selector matches. */
export function labelVariable(
  name: string,
  label: string,
  selector: string,
  options: { multi?: boolean; title?: string } = {},
): QueryVariableBuilder {
  const query = `label_values(${selector}, ${label})`;
  const v = new QueryVariableBuilder(name)
    .label(options.title ?? name)
    .datasource(DATASOURCE)
    .query({ query, refId: "PrometheusVariableQueryEditor-VariableQuery" })
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalDesc);
  return options.multi ? v.multi(true).includeAll(true).allValue(".*") : v;
}

/** Points of a PromQL expression shown as annotations: the series' labels make their text. */
export function annotation(name: string, expr: string, text: string, color: string): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name(name)
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor(color)
    .expr(expr)
    .step("1s")
    .titleFormat(text)
    .textFormat("{{detail}}")
    .useValueForTime(false);
}
