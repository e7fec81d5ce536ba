/**
 * The scenario reference of docs/scenarios.md: every field of a scenario file with its type,
 * default, constraints, meaning and an example, read from the zod schema the loader validates with.
 */
import type { z } from "zod";
import { EmbeddedKnobs } from "../cluster/embedded/knobs.ts";
import { ApiFaultRequest, FaultTarget } from "../mesh/faults/schema.ts";
import { Duration, formatDuration } from "../scenario/duration.ts";
import { builtinNames, importScenarioModule, resolveScenario } from "../scenario/load.ts";
import {
  ControlPlaneAction,
  Executor,
  MeshFault,
  ObjectTemplate,
  OperationMix,
  OperatorAction,
  Phase,
  Stage,
  TimedInjection,
} from "../scenario/phases.ts";
import { ContainerResources } from "../scenario/runtime.ts";
import {
  ClusterConfig,
  LeaderElection,
  MeshConfig,
  OperatorConfig,
  ScenarioDefinition,
  ThresholdEntry,
} from "../scenario/schema.ts";
import { FIELD_TEXT, type FieldText, SECTION_TEXT } from "./scenario-fields.ts";
import { type Field, fieldsOf, type Naming, walkValues } from "./zod-fields.ts";

const DURATION = 'duration (`"500ms"`, `"30s"`, `"2m"`, `"1h30m"` or milliseconds)';

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
export function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");
}

function optionsOf(union: z.ZodType): z.ZodType[] {
  return (union as unknown as { _zod: { def: { options: z.ZodType[] } } })._zod.def.options;
}

interface TagDef {
  type: string;
  values?: unknown[];
  entries?: Record<string, unknown>;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}
const tagDef = (s: z.ZodType): TagDef => (s as unknown as { _zod: { def: TagDef } })._zod.def;

/** The discriminator values of a union option, e.g. "pause-leader, pause". */
function tagOf(option: z.ZodType, key: string): string {
  let field = tagDef(option).shape?.[key] as z.ZodType;
  while (tagDef(field).innerType) field = tagDef(field).innerType as z.ZodType;
  const d = tagDef(field);
  return (d.values ?? Object.values(d.entries ?? {})).map(String).join(", ");
}

/** The sections of the reference, in reading order, each with the schema it documents. */
function sections(): Array<[string, z.ZodType]> {
  const byTag = (prefix: string, union: z.ZodType, key: string): Array<[string, z.ZodType]> =>
    optionsOf(union).map((o) => [`${prefix}: ${tagOf(o, key)}`, o]);
  const thresholdObject = optionsOf(ThresholdEntry).find(
    (o) => (o as unknown as { _zod: { def: { type: string } } })._zod.def.type === "object",
  ) as z.ZodType;
  return [
    ["Scenario", ScenarioDefinition],
    ["Cluster", ClusterConfig],
    ["Embedded cluster knobs", EmbeddedKnobs],
    ["Mesh", MeshConfig],
    ["Operator", OperatorConfig],
    ["Leader election", LeaderElection],
    ["Container resources", ContainerResources],
    ["Threshold with options", thresholdObject],
    ...byTag("Phase", Phase, "kind"),
    ["Object template", ObjectTemplate],
    ["Operation mix", OperationMix],
    ...byTag("Executor", Executor, "type"),
    ["Stage", Stage],
    ["Timed injection", TimedInjection],
    ...byTag("Operator", OperatorAction, "action"),
    ...byTag("Control plane", ControlPlaneAction, "action"),
    ...byTag("Mesh fault", MeshFault, "action"),
    ...byTag("Fault target", FaultTarget, "kind"),
    ...byTag("API fault", ApiFaultRequest, "kind"),
  ];
}

function naming(): Naming {
  return {
    types: new Map(sections().map(([name, schema]) => [schema, name])),
    scalars: new Map([[Duration as z.ZodType, DURATION]]),
    anchor,
  };
}

export interface DocumentedField extends Field {
  section: string;
  text?: FieldText;
  /** Inline code of an example value, and the built-in it comes from if any. */
  example?: { code: string; from?: string };
}

/** The text for a field: its own, else the wildcard for its path, else for its last segment. */
export function textFor(section: string, path: string): FieldText | undefined {
  const last = path.split(".").pop() as string;
  return FIELD_TEXT[`${section}.${path}`] ?? FIELD_TEXT[`*.${path}`] ?? FIELD_TEXT[`*.${last}`];
}

/** Field values of the built-in scenarios, by section and path: the first found is the example. */
async function builtinExamples(n: Naming): Promise<Map<string, { value: unknown; from: string }>> {
  const found = new Map<string, { value: unknown; from: string }>();
  for (const name of builtinNames()) {
    const input = await importScenarioModule(resolveScenario(name).path);
    walkValues(
      ScenarioDefinition,
      input,
      n,
      (type, path, value) => {
        const key = `${type}.${path}`;
        const seen = found.get(key);
        // The shortest value reads best in a table cell.
        if (!seen || code(value).length < code(seen.value).length) found.set(key, { value, from: name });
      },
      { type: "Scenario", prefix: "" },
    );
  }
  return found;
}

function code(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => v, 0)
    .replace(/"([A-Za-z_][A-Za-z0-9_]*)":/g, "$1: ")
    .replace(/,/g, ", ");
  return text;
}

export async function documentedFields(): Promise<DocumentedField[]> {
  const n = naming();
  const examples = await builtinExamples(n);
  return sections().flatMap(([section, schema]) =>
    fieldsOf(schema, n).map((f): DocumentedField => {
      const text = textFor(section, f.path);
      const builtin = examples.get(`${section}.${f.path}`);
      const shown = builtin && code(builtin.value).length <= 70 ? builtin : undefined;
      const literal = /^`"[^`]*"`$/.test(f.type) ? f.type.slice(1, -1) : undefined;
      return {
        ...f,
        section,
        ...(text ? { text } : {}),
        ...(text?.example !== undefined && !shown
          ? { example: { code: text.example } }
          : shown
            ? { example: { code: code(shown.value), from: shown.from } }
            : literal
              ? { example: { code: literal } }
              : {}),
      };
    }),
  );
}

function defaultText(f: Field): string {
  if (!("default" in f)) return f.required ? "**required**" : "—";
  const v = f.default;
  if (f.type === DURATION && typeof v === "number") return `\`${formatDuration(v)}\``;
  if (v !== null && typeof v === "object" && Object.keys(v).length > 0 && f.type.startsWith("["))
    return "its fields' defaults";
  return `\`${code(v)}\``;
}

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The Markdown of the reference: one section per type, one row per field. */
export async function scenarioReference(): Promise<string> {
  const fields = await documentedFields();
  const out: string[] = [];
  for (const [section] of sections()) {
    out.push(`### ${section}`, "");
    if (SECTION_TEXT[section]) out.push(SECTION_TEXT[section] as string, "");
    out.push("| field | type | default | meaning | example |", "| --- | --- | --- | --- | --- |");
    for (const f of fields.filter((x) => x.section === section)) {
      const constraints = f.constraints.length > 0 ? ` (${f.constraints.join(", ")})` : "";
      const example = f.example
        ? `\`${cell(f.example.code)}\`${f.example.from ? ` (${f.example.from})` : ""}`
        : "";
      out.push(
        `| \`${f.path}\` | ${f.type.replace(/(?<!\\)\|/g, "\\|")}${cell(constraints)} | ${defaultText(f)} | ${cell(f.text?.text ?? f.description ?? "")} | ${example} |`,
      );
    }
    out.push("");
  }
  return out.join("\n");
}
