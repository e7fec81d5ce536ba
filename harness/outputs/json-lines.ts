/**
 * `--out json=FILE`: one JSON object per line. Shapes:
 * `{"type":"sample","metric","kind","time","t","value","unit","labels","run_id"}` (kind: distribution
 * observation, series point, counter total, gauge value), `{"type":"event","time","t","kind","source","detail","run_id"}`,
 * and at the end `{"type":"threshold",…,"pass"}` per threshold and `{"type":"verdict","verdict"}`.
 */
import type { LineFormat } from "./line-file.ts";
import { splitMetricKey, wallMs } from "./sink.ts";

const iso = (ms: number) => new Date(ms).toISOString();

export const JSON_LINES: LineFormat = {
  sample(run, s) {
    const { name, labels } = splitMetricKey(s.name);
    return JSON.stringify({
      type: "sample",
      metric: name,
      kind: s.type,
      time: iso(wallMs(run, s.t)),
      t: s.t,
      value: s.value,
      unit: s.unit,
      labels,
      run_id: run.id,
    });
  },
  event(run, e) {
    return JSON.stringify({
      type: "event",
      time: iso(wallMs(run, e.t)),
      t: e.t,
      kind: e.kind,
      source: e.source,
      detail: e.detail,
      run_id: run.id,
    });
  },
  end(run, results) {
    const time = iso(Date.parse(results.run.finishedAt));
    return [
      ...results.thresholds.map((t) =>
        JSON.stringify({
          type: "threshold",
          time,
          metric: t.metric,
          expression: t.expression,
          status: t.status,
          ...(t.status === "pass" || t.status === "fail" ? { pass: t.status === "pass" } : {}),
          run_id: run.id,
        }),
      ),
      JSON.stringify({ type: "verdict", time, verdict: results.verdict, run_id: run.id }),
    ];
  },
};
