/** Writes harness/mesh/api/openapi.json (npm run mesh:openapi); a test fails when it is stale. */
import { rename, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { renderOpenApiDocument } from "./openapi.ts";

export const OPENAPI_PATH = fileURLToPath(new URL("./openapi.json", import.meta.url));

if (import.meta.main) {
  const tmp = `${OPENAPI_PATH}.tmp`;
  await writeFile(tmp, renderOpenApiDocument());
  await rename(tmp, OPENAPI_PATH);
  // The repo's formatter owns JSON layout; the freshness test compares parsed documents.
  await execa(fileURLToPath(new URL("../../../node_modules/.bin/biome", import.meta.url)), [
    "format",
    "--write",
    OPENAPI_PATH,
  ]);
  console.log(`wrote ${OPENAPI_PATH}`);
}
