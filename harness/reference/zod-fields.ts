/**
 * Reads a zod schema as documentation: every field of an object with its type, default, whether it
 * is required, and its constraints, as zod itself holds them (so the reference cannot drift from
 * what the loader accepts). Objects registered under a name become sections of their own and are
 * linked where used; unnamed nested objects are flattened into dotted paths.
 */
import type { z } from "zod";

/** The parts of zod's definitions this reader uses (zod 4 keeps them on `_zod.def`). */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  in?: z.ZodType;
  checks?: Array<{ _zod: { def: Record<string, unknown> } }>;
}

const def = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

export interface Field {
  /** Dotted path inside its type, e.g. `topology.type`; `[]` marks array elements. */
  path: string;
  /** Markdown: the accepted type, with links to named types. */
  type: string;
  required: boolean;
  /** The value zod fills in when the field is left out. */
  default?: unknown;
  /** Markdown, e.g. `≥ 1`, `≤ 64`. */
  constraints: string[];
  /** `.describe()` text, when the schema carries one. */
  description?: string;
}

export interface TypeSection {
  name: string;
  fields: Field[];
}

export interface Naming {
  /** Objects documented as a section of their own, by the name of the section. */
  types: Map<z.ZodType, string>;
  /** Scalars shown by a name instead of their structure (e.g. a duration parser). */
  scalars: Map<z.ZodType, string>;
  anchor: (name: string) => string;
}

interface Unwrapped {
  base: z.ZodType;
  optional: boolean;
  default?: unknown;
  hasDefault: boolean;
  description?: string;
}

/** Peels default/optional/nullable wrappers, keeping what they say about the field. */
function unwrap(schema: z.ZodType, naming: Naming): Unwrapped {
  const out: Unwrapped = { base: schema, optional: false, hasDefault: false };
  let s = schema;
  for (;;) {
    out.description ??= (s as { description?: string }).description;
    if (naming.types.has(s) || naming.scalars.has(s)) break;
    const d = def(s);
    if (d.type === "default" || d.type === "prefault") {
      if (!out.hasDefault) out.default = d.defaultValue;
      out.hasDefault = true;
      s = d.innerType as z.ZodType;
    } else if (d.type === "optional" || d.type === "nullable" || d.type === "readonly") {
      out.optional = true;
      s = d.innerType as z.ZodType;
    } else break;
  }
  out.base = s;
  return out;
}

function constraintsOf(s: z.ZodType): string[] {
  const out: string[] = [];
  const d = def(s);
  const isArray = d.type === "array";
  for (const c of d.checks ?? []) {
    const k = c._zod.def;
    switch (k.check) {
      case "greater_than":
        out.push(`${k.inclusive ? "≥" : ">"} ${k.value}`);
        break;
      case "less_than":
        if (Number(k.value) < Number.MAX_SAFE_INTEGER) out.push(`${k.inclusive ? "≤" : "<"} ${k.value}`);
        break;
      case "min_length":
        out.push(isArray ? `at least ${k.minimum} item(s)` : `at least ${k.minimum} character(s)`);
        break;
      case "max_length":
        out.push(isArray ? `at most ${k.maximum} items` : `at most ${k.maximum} characters`);
        break;
      case "string_format":
        if (k.format === "regex") out.push(`matches \`${String(k.pattern)}\``);
        else if (k.format === "starts_with") out.push(`starts with \`${k.prefix}\``);
        break;
    }
  }
  return out;
}

function isInteger(s: z.ZodType): boolean {
  return (def(s).checks ?? []).some((c) => {
    const k = c._zod.def;
    return k.check === "number_format" && /int/.test(String(k.format));
  });
}

/** The type of a schema in a few words of Markdown. */
export function typeText(schema: z.ZodType, naming: Naming): string {
  const { base } = unwrap(schema, naming);
  const named = naming.types.get(base);
  if (named) return `[${named}](#${naming.anchor(named)})`;
  const scalar = naming.scalars.get(base);
  if (scalar) return scalar;
  const d = def(base);
  switch (d.type) {
    case "string":
      return "string";
    case "number":
      return isInteger(base) ? "integer" : "number";
    case "boolean":
      return "boolean";
    case "enum":
      return Object.values(d.entries ?? {})
        .map((v) => `\`${JSON.stringify(v)}\``)
        .join(" \\| ");
    case "literal":
      return (d.values ?? []).map((v) => `\`${JSON.stringify(v)}\``).join(" \\| ");
    case "array":
      return `list of ${typeText(d.element as z.ZodType, naming)}`;
    case "record":
      return `map of ${typeText(d.keyType as z.ZodType, naming)} → ${typeText(d.valueType as z.ZodType, naming)}`;
    case "union": {
      const parts = (d.options ?? []).map((o) => typeText(o, naming));
      return parts.join(d.discriminator ? " · " : " \\| ");
    }
    case "pipe":
      return typeText(d.in as z.ZodType, naming);
    case "object":
      return "object";
    default:
      return d.type;
  }
}

/** The fields of an object schema, flattening unnamed nested objects (and arrays of them). */
export function fieldsOf(schema: z.ZodType, naming: Naming, prefix = ""): Field[] {
  const d = def(unwrap(schema, naming).base);
  const fields: Field[] = [];
  for (const [key, child] of Object.entries(d.shape ?? {})) {
    const u = unwrap(child, naming);
    const path = `${prefix}${key}`;
    fields.push({
      path,
      type: typeText(child, naming),
      required: !u.optional && !u.hasDefault,
      ...(u.hasDefault ? { default: u.default } : {}),
      constraints: constraintsOf(u.base),
      ...(u.description ? { description: u.description } : {}),
    });
    const nested = nestedObject(u.base, naming);
    if (nested) fields.push(...fieldsOf(nested.schema, naming, `${path}${nested.suffix}.`));
  }
  return fields;
}

/** An unnamed object under a field (directly or as array elements), to be flattened. */
function nestedObject(base: z.ZodType, naming: Naming): { schema: z.ZodType; suffix: string } | undefined {
  if (naming.types.has(base) || naming.scalars.has(base)) return undefined;
  const d = def(base);
  if (d.type === "object") return { schema: base, suffix: "" };
  if (d.type === "array") {
    const el = unwrap(d.element as z.ZodType, naming).base;
    if (!naming.types.has(el) && def(el).type === "object") return { schema: el, suffix: "[]" };
  }
  return undefined;
}

/**
 * Calls `visit(typeName, path, value)` for every field value of `value` read along `schema`, so
 * real scenario files can supply each field's example. Unions follow their discriminator.
 */
export function walkValues(
  schema: z.ZodType,
  value: unknown,
  naming: Naming,
  visit: (typeName: string, path: string, value: unknown) => void,
  at: { type: string; prefix: string },
): void {
  if (value === undefined) return;
  const base = unwrap(schema, naming).base;
  const named = naming.types.get(base);
  const where = named ? { type: named, prefix: "" } : at;
  const d = def(base);
  if (d.type === "object" && value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(d.shape ?? {})) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      const path = `${where.prefix}${key}`;
      visit(where.type, path, v);
      const childBase = unwrap(child, naming).base;
      const isArrayOfUnnamed =
        def(childBase).type === "array" && nestedObject(childBase, naming)?.suffix === "[]";
      walkValues(child, v, naming, visit, {
        type: where.type,
        prefix: `${path}${isArrayOfUnnamed ? "[]" : ""}.`,
      });
    }
  } else if (d.type === "array" && Array.isArray(value)) {
    for (const v of value) walkValues(d.element as z.ZodType, v, naming, visit, where);
  } else if (d.type === "union") {
    // A discriminator left out (it has a default) is found by parsing instead.
    const byTag = d.discriminator
      ? (d.options ?? []).find((o) =>
          discriminatorValues(o, d.discriminator as string).includes(tag(value, d)),
        )
      : undefined;
    const option = byTag ?? (d.options ?? []).find((o) => o.safeParse(value).success);
    if (option) walkValues(option, value, naming, visit, where);
  } else if (d.type === "record" && value !== null && typeof value === "object") {
    for (const v of Object.values(value)) walkValues(d.valueType as z.ZodType, v, naming, visit, where);
  } else if (d.type === "pipe") {
    walkValues(d.in as z.ZodType, value, naming, visit, where);
  }
}

function tag(value: unknown, d: Def): unknown {
  return value !== null && typeof value === "object"
    ? (value as Record<string, unknown>)[d.discriminator as string]
    : undefined;
}

/** The literal values a union option carries in its discriminator field. */
function discriminatorValues(option: z.ZodType, key: string): unknown[] {
  let s = option;
  while (def(s).type === "pipe") s = def(s).in as z.ZodType;
  if (def(s).type === "union") return (def(s).options ?? []).flatMap((o) => discriminatorValues(o, key));
  let field = def(s).shape?.[key];
  while (field && def(field).innerType) field = def(field).innerType;
  if (!field) return [];
  const d = def(field);
  return d.values ?? Object.values(d.entries ?? {});
}
