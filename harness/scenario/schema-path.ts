/**
 * What the scenario schema allows at a field path, so a `--set` key can be checked and answered
 * with the fields that exist there ("operator has no field qpss; its fields: …") instead of
 * whatever zod makes of the object it produced. Walks zod's own definitions: objects, arrays,
 * records, defaults/optionals/pipes, and discriminated unions resolved by the value at hand.
 */
import type { z } from "zod";

type Def = { type: string; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Peels wrappers (default, optional, nullable, pipe, readonly, catch) down to the shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if (
      ["default", "optional", "nullable", "readonly", "catch", "prefault", "nonoptional"].includes(def.type)
    )
      s = def.innerType as z.ZodType;
    else if (def.type === "pipe") s = def.in as z.ZodType;
    else return s;
  }
}

export type Node =
  | { kind: "object"; fields: string[]; child: (key: string) => z.ZodType | undefined }
  | { kind: "array"; element: z.ZodType }
  | { kind: "record"; value: z.ZodType }
  | { kind: "value"; type: string };

/**
 * The shape of `schema` for a value `current` (a discriminated union needs the value to pick its
 * branch; a plain union of an object and something else is taken as the object).
 */
export function nodeOf(schema: z.ZodType, current: unknown): Node {
  const s = unwrap(schema);
  const def = defOf(s);
  switch (def.type) {
    case "object": {
      const shape = (def.shape ?? {}) as Record<string, z.ZodType>;
      return { kind: "object", fields: Object.keys(shape), child: (key) => shape[key] };
    }
    case "array":
      return { kind: "array", element: def.element as z.ZodType };
    case "record":
      return { kind: "record", value: def.valueType as z.ZodType };
    case "union": {
      const options = (def.options ?? []) as z.ZodType[];
      const discriminator = def.discriminator as string | undefined;
      if (discriminator && current && typeof current === "object") {
        const tag = (current as Record<string, unknown>)[discriminator];
        for (const option of options) {
          const node = nodeOf(option, current);
          const literal = node.kind === "object" ? node.child(discriminator) : undefined;
          const values = literal ? ((defOf(unwrap(literal)).values as unknown[]) ?? []) : [];
          if (values.includes(tag)) return node;
        }
      }
      const objects = options.map((o) => nodeOf(o, current)).filter((n) => n.kind === "object");
      if (objects.length === 1 && objects[0]) return objects[0];
      return { kind: "value", type: "union" };
    }
    default:
      return { kind: "value", type: def.type };
  }
}
