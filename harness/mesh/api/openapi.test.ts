import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { buildOpenApiDocument } from "./openapi.ts";
import { OPENAPI_PATH } from "./write-openapi.ts";

test("the committed openapi.json is up to date (run `npm run mesh:openapi`)", () => {
  assert.deepEqual(JSON.parse(readFileSync(OPENAPI_PATH, "utf8")), buildOpenApiDocument());
});

test("every component schema compiles under JSON Schema 2020-12 (strict)", () => {
  const doc = buildOpenApiDocument() as { components: { schemas: Record<string, object> } };
  const ajv = new Ajv2020({ strict: true });
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    assert.doesNotThrow(() => ajv.compile(schema), name);
  }
});

test("every $ref resolves to a component", () => {
  const text = JSON.stringify(buildOpenApiDocument());
  const doc = JSON.parse(text) as { components: { schemas: Record<string, unknown> } };
  for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g))
    assert.ok(doc.components.schemas[m[1]!], m[1]);
});
