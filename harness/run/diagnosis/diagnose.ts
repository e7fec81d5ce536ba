/**
 * Why a run went as it did, in a few lines for the summary, summary.md and the report
 * (results.json `diagnosis`): objects that never became Ready — how many ended Failed, with
 * which status messages — the operator's restarts and its most frequent error lines (from its
 * log files in the run directory), what the Patronus API received by route and status, and
 * what the operator did at steady state and with several replicas. Built from results.json's
 * metrics and events and the logs only, so it needs nothing of the live run.
 */
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Diagnosis, Results, RunEvent } from "../../results/schema.ts";
import { type LogFormat, type LogGroup, LogGroups } from "./log-lines.ts";

/** Of each log file only its end is read: a flooding operator's log may be huge. */
const LOG_TAIL_BYTES = 32 * 2 ** 20;
/** An operator doing this much with nothing to do is hot-looping. */
const BUSY_PER_OBJECT_PER_MINUTE = 1;

function counter(results: Results, name: string): number | undefined {
  const m = results.metrics[name];
  return m && (m.type === "counter" || m.type === "gauge") ? m.value : undefined;
}

function eventsOf(results: Results, kind: string): Array<Record<string, unknown>> {
  return results.events
    .filter((e: RunEvent) => e.kind === kind && typeof e.detail === "object")
    .map((e) => e.detail as Record<string, unknown>);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The operator's log files in the run directory (one per replica and restart). */
export async function operatorLogs(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith(".log") && n.includes("operator"))
    .sort()
    .map((n) => join(dir, n));
}

export async function groupLogErrors(files: readonly string[], format: LogFormat): Promise<LogGroups> {
  const groups = new LogGroups();
  for (const file of files) {
    const size = (await stat(file).catch(() => undefined))?.size ?? 0;
    if (size === 0) continue;
    const stream = createReadStream(file, { start: Math.max(0, size - LOG_TAIL_BYTES), encoding: "utf8" });
    for await (const line of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }))
      groups.add(line, format);
  }
  return groups;
}

export interface DiagnoseOptions {
  /** The operator's log format (its definition's start.log). */
  logFormat: LogFormat;
  /** Operator log files; found in the run directory when not given. */
  logs?: readonly string[];
}

export async function diagnose(results: Results, dir: string, options: DiagnoseOptions): Promise<Diagnosis> {
  const lines: string[] = [];
  const diagnosis: Diagnosis = { lines };

  // Objects that never became Ready.
  const { expected, observed } = results.coverage;
  const failedEvent = eventsOf(results, "objects.failed")[0];
  const failed = Number(failedEvent?.count ?? 0);
  const notReady = Math.max(0, expected - observed);
  if (notReady > 0 || failed > 0) {
    lines.push(
      `${notReady} of ${plural(expected, "request")} (creates, updates, deletes) never observed done; ` +
        `${plural(failed, "object")} ended Failed${failed > 0 ? ":" : ""}`,
    );
    const messages = Object.entries((failedEvent?.messages ?? {}) as Record<string, number>);
    for (const [message, count] of messages.slice(0, 5)) lines.push(`  ${count} × ${message}`);
    const failedNames = new Set(eventsOf(results, "object.failed").map((f) => `${f.kind}/${f.name}`));
    const missing = eventsOf(results, "coverage.missing")[0]?.objects;
    const pending = (Array.isArray(missing) ? (missing as string[]) : []).filter(
      (m) => !failedNames.has(m.split(" ")[0] ?? ""),
    );
    if (pending.length > 0)
      lines.push(`  not Ready and not Failed at the end, e.g. ${pending.slice(0, 3).join(", ")}`);
    diagnosis.failed = { count: failed, messages: Object.fromEntries(messages) };
  }
  for (const w of eventsOf(results, "wait.timeout").slice(0, 3))
    lines.push(`wait-for ${w.condition} ${w.object} timed out after ${w.seconds} s`);

  // Changes the operator did not carry through (lost_updates).
  const lost = eventsOf(results, "lost-updates")[0];
  if (lost && Number(lost.count ?? 0) > 0) {
    const kinds = (["mismatched", "missing", "leftOver"] as const)
      .filter((k) => Number(lost[k] ?? 0) > 0)
      .map((k) => `${lost[k]} ${k === "leftOver" ? "left over" : k}`);
    lines.push(
      `${plural(Number(lost.count), "lost update")}${kinds.length ? ` (${kinds.join(", ")})` : ""}, e.g.:`,
    );
    for (const f of ((lost.first ?? []) as string[]).slice(0, 3)) lines.push(`  ${f}`);
    diagnosis.lostUpdates = { count: lost.count, first: lost.first };
  }

  // Restarts.
  const crashes = eventsOf(results, "operator.crashed");
  if (crashes.length > 0) {
    const how = new Map<string, number>();
    for (const c of crashes) {
      const key = c.oomKilled ? "OOM-killed" : c.signal ? `signal ${c.signal}` : `exit code ${c.code}`;
      how.set(key, (how.get(key) ?? 0) + 1);
    }
    lines.push(
      `operator restarted ${plural(crashes.length, "time")} (${[...how].map(([k, n]) => `${n} × ${k}`).join(", ")})`,
    );
    diagnosis.restarts = crashes.length;
  }

  // The operator's log.
  const logs = options.logs ?? (await operatorLogs(dir));
  if (logs.length > 0) {
    const groups = await groupLogErrors(logs, options.logFormat);
    const top: LogGroup[] = groups.top(5);
    if (top.length > 0) {
      lines.push(
        `operator log: ${plural(groups.errors, "error")} and ${plural(groups.warnings, "warning")} in ${plural(groups.lines, "line")}; most frequent:`,
      );
      for (const g of top) lines.push(`  ${g.count} × ${g.level.toUpperCase()} ${g.pattern}`);
    }
    diagnosis.operatorLog = {
      files: logs.length,
      lines: groups.lines,
      errors: groups.errors,
      warnings: groups.warnings,
      top: top.map(({ pattern, level, count, example }) => ({ pattern, level, count, example })),
    };
  }

  // What the Patronus API received.
  const received = eventsOf(results, "patronus-requests")[0];
  if (received) {
    const routes = (received.routes ?? []) as string[];
    lines.push(
      `Patronus API received ${plural(Number(received.total ?? 0), "request")}${routes.length ? ":" : ""}`,
    );
    for (const r of routes.slice(0, 5)) lines.push(`  ${r}`);
    diagnosis.patronusApi = { total: received.total, routes };
    const writers = Number(received.writers ?? 0);
    if (writers > 1) {
      const objects = Number(received.objectsWrittenConcurrently ?? 0);
      lines.push(
        `${writers} replicas wrote to the Patronus API: ${plural(objects, "object")} written by more than one replica within ${Number(received.windowMs ?? 0) / 1000} s of each other (${plural(Number(received.concurrentWrites ?? 0), "such write")} of ${received.writes})`,
      );
      const fm = eventsOf(results, "field-managers")[0];
      const managers = Object.keys((fm?.managers ?? {}) as Record<string, number>);
      if (fm)
        lines.push(
          `  the apiserver's field managers of the Sites and Policies: ${managers.join(", ") || "none but the harness"}` +
            (managers.length < writers ? " — they do not tell the replicas apart" : ""),
        );
      diagnosis.concurrentWriters = {
        replicas: writers,
        objects,
        writes: received.concurrentWrites,
        examples: received.examples,
        fieldManagers: managers,
      };
    }
  }

  // Steady state.
  const calls = counter(results, "steady_state_patronus_calls_per_object_per_minute");
  const writes = counter(results, "steady_state_apiserver_writes_per_object_per_minute");
  const steady = eventsOf(results, "steady-state")[0];
  if (steady && (calls !== undefined || writes !== undefined)) {
    const busy = (calls ?? 0) > BUSY_PER_OBJECT_PER_MINUTE || (writes ?? 0) > BUSY_PER_OBJECT_PER_MINUTE;
    lines.push(
      `at steady state (${steady.windowSeconds} s, ${steady.objects} objects, nothing changed): ` +
        `${calls ?? "—"} Patronus API calls and ${writes ?? "—"} apiserver writes per object per minute` +
        (busy ? " — the operator keeps working with nothing to do" : ""),
    );
    diagnosis.steadyState = {
      patronusCallsPerObjectPerMinute: calls,
      apiserverWritesPerObjectPerMinute: writes,
      busy,
    };
  }
  return diagnosis;
}
