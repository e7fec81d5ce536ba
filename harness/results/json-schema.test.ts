import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { JSON_SCHEMA_FILE, renderJsonSchema } from "./json-schema.ts";

test("the committed results.schema.json is current (npm run results:schema)", async () => {
  // Compared as data: the formatter may re-indent the committed file.
  assert.deepEqual(JSON.parse(await readFile(JSON_SCHEMA_FILE, "utf8")), JSON.parse(renderJsonSchema()));
});

test("the JSON Schema accepts the fixtures and rejects a broken file, like the zod schema", async () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(renderJsonSchema()));
  const read = async (p: string) =>
    JSON.parse(await readFile(new URL(`../../fixtures/results/${p}`, import.meta.url), "utf8"));
  for (const p of [
    "scale-1000/results.json",
    "churn/results.json",
    "failover-path/results.json",
    "sparse/results.json",
  ]) {
    assert.equal(validate(await read(p)), true, `${p}: ${JSON.stringify(validate.errors)}`);
  }
  assert.equal(validate(await read("bad/missing-field.json")), false);
  assert.equal(validate(await read("bad/schema-v3.json")), false);
});
