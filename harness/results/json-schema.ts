/** The published JSON Schema of results.json, generated from the zod schema (one source of truth). */
import { z } from "zod";
import { ResultsSchema, SCHEMA_VERSION } from "./schema.ts";

export const JSON_SCHEMA_FILE = new URL("./results.schema.json", import.meta.url);

export function resultsJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ResultsSchema, { target: "draft-2020-12", io: "input" }) as Record<
    string,
    unknown
  >;
  return {
    ...generated,
    $id: `https://patronus.io/schemas/patronus-bench/results-v${SCHEMA_VERSION}.json`,
    title: `patronus-bench results.json (schemaVersion ${SCHEMA_VERSION})`,
    description:
      "Output of one patronus-bench run. Generated from harness/results/schema.ts by `npm run results:schema` — do not edit by hand.",
  };
}

export function renderJsonSchema(): string {
  return `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`;
}
