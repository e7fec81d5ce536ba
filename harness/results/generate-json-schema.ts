/** Regenerates results.schema.json from the zod schema: `npm run results:schema`. */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { JSON_SCHEMA_FILE, renderJsonSchema } from "./json-schema.ts";

await writeFile(JSON_SCHEMA_FILE, renderJsonSchema());
console.log(`wrote ${fileURLToPath(JSON_SCHEMA_FILE)}`);
