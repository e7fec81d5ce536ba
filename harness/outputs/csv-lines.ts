/**
 * `--out csv=FILE`: `metric_name,timestamp,metric_value,unit,run_id,labels` — timestamp in Unix
 * seconds (millisecond decimals), labels as `name=value` pairs joined by `;`. Samples only (events
 * carry free-form details that do not fit columns); at the end a `threshold` row per threshold
 * (1 pass, 0 fail) and a `verdict` row (1 pass, 0 otherwise, the verdict as a label).
 */
import type { LineFormat } from "./line-file.ts";
import { splitMetricKey, wallMs } from "./sink.ts";

export const CSV_HEADER = "metric_name,timestamp,metric_value,unit,run_id,labels";

function field(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function csvRow(
  metric: string,
  ms: number,
  value: number,
  unit: string,
  runId: string,
  labels: Record<string, string>,
): string {
  const pairs = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(";");
  return [metric, (ms / 1000).toFixed(3), String(value), unit, runId, pairs].map(field).join(",");
}

export const CSV_LINES: LineFormat = {
  header: CSV_HEADER,
  sample(run, s) {
    const { name, labels } = splitMetricKey(s.name);
    return csvRow(name, wallMs(run, s.t), s.value, s.unit, run.id, labels);
  },
  event: () => undefined,
  end(run, results) {
    const ms = Date.parse(results.run.finishedAt);
    return [
      ...results.thresholds
        .filter((t) => t.status === "pass" || t.status === "fail")
        .map((t) =>
          csvRow("threshold", ms, t.status === "pass" ? 1 : 0, "bool", run.id, {
            metric: t.metric,
            expression: t.expression,
          }),
        ),
      csvRow("verdict", ms, results.verdict === "pass" ? 1 : 0, "bool", run.id, { verdict: results.verdict }),
    ];
  },
};
