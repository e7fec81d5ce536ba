/** What a chart's data builder returns: rows for the spec's `rows` dataset, or why it cannot be drawn. */
export type ChartRow = Record<string, string | number | null>;
export type ChartData = { rows: ChartRow[] } | { missing: string };

export function missing(reason: string): ChartData {
  return { missing: reason };
}
