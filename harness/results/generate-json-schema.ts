/** Regenerates results.schema.json from the zod schema: `npm run results:schema`. */
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { JSON_SCHEMA_FILE, renderJsonSchema } from "./json-schema.ts";

const file = fileURLToPath(JSON_SCHEMA_FILE);
await writeFile(file, renderJsonSchema());
// The repository's formatter owns the layout of committed JSON; without this `npm run lint` fails.
const biome = fileURLToPath(new URL("../../node_modules/.bin/biome", import.meta.url));
execFileSync(biome, ["format", "--write", file], { stdio: "ignore" });
console.log(`wrote ${file}`);
