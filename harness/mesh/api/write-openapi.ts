/**
 * Writes harness/mesh/api/openapi.json (reference dialect) and openapi-patronus-rs.json
 * (npm run mesh:openapi); a test fails when either is stale.
 */
import { rename, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import type { Dialect } from "./dialect.ts";
import { renderOpenApiDocument } from "./openapi.ts";

export const OPENAPI_PATH = fileURLToPath(new URL("./openapi.json", import.meta.url));
export const OPENAPI_PATHS: Record<Dialect, string> = {
  reference: OPENAPI_PATH,
  "patronus-rs": fileURLToPath(new URL("./openapi-patronus-rs.json", import.meta.url)),
};

if (import.meta.main) {
  for (const [dialect, path] of Object.entries(OPENAPI_PATHS) as [Dialect, string][]) {
    const tmp = `${path}.tmp`;
    await writeFile(tmp, renderOpenApiDocument(dialect));
    await rename(tmp, path);
    // The repo's formatter owns JSON layout; the freshness test compares parsed documents.
    await execa(fileURLToPath(new URL("../../../node_modules/.bin/biome", import.meta.url)), [
      "format",
      "--write",
      path,
    ]);
    console.log(`wrote ${path}`);
  }
}
