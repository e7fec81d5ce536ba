import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { buildOpenApiDocument } from "./openapi.ts";
import { OPENAPI_PATHS } from "./write-openapi.ts";

const DIALECTS = ["reference", "patronus-rs"] as const;

for (const dialect of DIALECTS) {
  test(`${dialect}: the committed ${OPENAPI_PATHS[dialect].split("/").at(-1)} is up to date (run \`npm run mesh:openapi\`)`, () => {
    assert.deepEqual(JSON.parse(readFileSync(OPENAPI_PATHS[dialect], "utf8")), buildOpenApiDocument(dialect));
  });

  test(`${dialect}: every component schema compiles under JSON Schema 2020-12 (strict)`, () => {
    const doc = buildOpenApiDocument(dialect) as { components: { schemas: Record<string, object> } };
    const ajv = new Ajv2020({ strict: true });
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      assert.doesNotThrow(() => ajv.compile(schema), name);
    }
  });

  test(`${dialect}: every $ref resolves to a component`, () => {
    const text = JSON.stringify(buildOpenApiDocument(dialect));
    const doc = JSON.parse(text) as { components: { schemas: Record<string, unknown> } };
    for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g))
      assert.ok(doc.components.schemas[m[1]!], m[1]);
  });
}

test("patronus-rs: the operator's four calls are documented, without a token", () => {
  const doc = buildOpenApiDocument("patronus-rs") as {
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };
  for (const [path, method] of [
    ["/api/v1/sites/{name}", "put"],
    ["/api/v1/sites/{name}", "delete"],
    ["/api/v1/policies/{name}", "put"],
    ["/api/v1/policies/{name}", "delete"],
  ] as const) {
    assert.deepEqual(doc.paths[path]?.[method]?.security, [], `${method} ${path}`);
  }
  assert.equal(doc.paths["/api/v1/sites"], undefined, "no call the operator does not make");
});
