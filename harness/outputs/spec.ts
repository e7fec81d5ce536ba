/**
 * `--out` values, as k6 spells them: `json=FILE`, `csv=FILE` and `prometheus-rw=URL` are sinks,
 * anything else is the run's output directory. Checked before anything starts.
 */
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { HarnessError } from "../errors.ts";
import { checkOutDir, checkOutFile } from "../run/output-dir.ts";

export const SINK_KINDS = ["json", "csv", "prometheus-rw"] as const;
export type SinkKind = (typeof SINK_KINDS)[number];

export interface SinkSpec {
  kind: SinkKind;
  /** A file path (json, csv) or the remote-write URL. */
  target: string;
}

export interface OutArguments {
  dir?: string;
  sinks: SinkSpec[];
}

/** `name=` where name looks like a sink (lower-case word), as opposed to a directory named `a=b/c`. */
const SINK_SHAPE = /^([a-z][a-z0-9-]*)=(.*)$/;
const FIX = `--out takes a directory or a sink: ${SINK_KINDS.map((k) => `${k}=${k === "prometheus-rw" ? "URL" : "FILE"}`).join(", ")}`;

const RemoteWriteUrl = z
  .string()
  .url()
  .refine(
    (u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol),
    "expected an http:// or https:// URL",
  );

export function parseOutArguments(values: readonly string[]): OutArguments {
  const out: OutArguments = { sinks: [] };
  for (const value of values) {
    const m = SINK_SHAPE.exec(value);
    if (!m) {
      if (out.dir !== undefined)
        throw new HarnessError(`--out ${value}: a second output directory (first: ${out.dir})`, { fix: FIX });
      out.dir = value;
      continue;
    }
    const [, name, target] = m as unknown as [string, string, string];
    if (!(SINK_KINDS as readonly string[]).includes(name))
      throw new HarnessError(`--out ${value}: unknown sink "${name}"`, { fix: FIX });
    if (target === "")
      throw new HarnessError(`--out ${value}: the ${name} sink needs a target`, { fix: FIX });
    if (name === "prometheus-rw") {
      const parsed = RemoteWriteUrl.safeParse(target);
      if (!parsed.success)
        throw new HarnessError(`--out ${value}: ${parsed.error.issues[0]?.message ?? "not a URL"}`, {
          fix: "e.g. --out prometheus-rw=http://127.0.0.1:9090/api/v1/write",
        });
    }
    out.sinks.push({ kind: name as SinkKind, target });
  }
  return out;
}

/** The directory and every file sink checked (nothing created); a problem is a one-line HarnessError. */
export async function checkOutArguments(values: readonly string[]): Promise<OutArguments> {
  const out = parseOutArguments(values);
  if (out.dir !== undefined) await checkOutDir(out.dir);
  for (const sink of out.sinks) if (sink.kind !== "prometheus-rw") await checkSinkFile(sink);
  return out;
}

const EXAMPLE_FILE: Record<Exclude<SinkKind, "prometheus-rw">, string> = {
  json: "stream.jsonl",
  csv: "samples.csv",
};

/** checkOutFile's refusal, said of the sink as the user wrote it. */
async function checkSinkFile(sink: SinkSpec): Promise<void> {
  const said = `--out ${sink.kind}=${sink.target}`;
  const abs = resolve(sink.target);
  if ((await stat(abs).catch(() => undefined))?.isDirectory())
    throw new HarnessError(`${said}: is a directory`, {
      fix: `name a file, e.g. --out ${sink.kind}=${join(sink.target, EXAMPLE_FILE[sink.kind as "json" | "csv"])}`,
    });
  try {
    await checkOutFile(sink.target);
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    const prefix = `--out ${abs}: `;
    const problem = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    throw new HarnessError(`${said}: ${problem}`, err.fix ? { fix: err.fix } : {});
  }
}
