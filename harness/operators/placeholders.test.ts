import assert from "node:assert/strict";
import { test } from "node:test";
import { HarnessError } from "../errors.ts";
import { fillPlaceholders, placeholdersIn } from "./placeholders.ts";

test("fills every placeholder, repeated ones too, and leaves other text alone", () => {
  assert.equal(
    fillPlaceholders("{binary} --url={patronusUrl}/v1 --again={patronusUrl} {json: true}", {
      binary: "/c/op",
      patronusUrl: "http://127.0.0.1:9",
    }),
    "/c/op --url=http://127.0.0.1:9/v1 --again=http://127.0.0.1:9 {json: true}",
  );
  assert.deepEqual(placeholdersIn("{a}-{b1}-{a}-{ no}"), ["a", "b1", "a"]);
});

test("a placeholder without a value, or an unknown one, is an error naming it", () => {
  assert.throws(
    () => fillPlaceholders("{binary}", { node: "/n" }),
    (err: HarnessError) =>
      err instanceof HarnessError && /\{binary\} in "\{binary\}" has no value/.test(err.message),
  );
  assert.throws(
    () => fillPlaceholders("--x={kubeConfig}", { kubeconfig: "/k" }),
    (err: HarnessError) =>
      /unknown placeholder \{kubeConfig\}/.test(err.message) && /\{kubeconfig\}/.test(err.fix ?? ""),
  );
});
