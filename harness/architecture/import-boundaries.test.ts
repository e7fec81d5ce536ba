import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { REPO_ROOT } from "../paths.ts";
import { crossingsOf, describeCrossing, findCrossings, importsOf } from "./import-boundaries.ts";

describe("import boundaries", () => {
  it("the harness and scenarios import nothing from operator/, operator/ nothing from them, contract/ neither", () => {
    const crossings = findCrossings(REPO_ROOT);
    assert.deepEqual(crossings.map(describeCrossing), []);
  });

  it("reports a harness file that imports the operator, with its line and import", () => {
    const source = [
      "/** Mentions import('../operator/x.ts') in a comment only. */",
      'import { z } from "zod";',
      'import { a } from "../operator/x.ts";',
      "// import { b } from '../operator/y.ts';",
      "export const ok = 1;",
    ].join("\n");
    const crossings = crossingsOf("/repo", "harness/fake.ts", source);
    assert.deepEqual(
      crossings.map((c) => [c.file, c.line, c.specifier, c.into]),
      [["harness/fake.ts", 3, "../operator/x.ts", "operator"]],
    );
    assert.match(
      describeCrossing(crossings[0]!),
      /^harness\/fake\.ts:3 imports operator\/ \(\.\.\/operator\/x\.ts\)/,
    );
  });

  it("sees multi-line, type-only, re-exports and dynamic imports", () => {
    const source = [
      "import {",
      "  type A,",
      "  B,",
      '} from "../../operator/api/a.ts";',
      'import type { C } from "../../operator/c.ts";',
      'export { D } from "../../operator/d.ts";',
      'export * from "../../operator/e.ts";',
      "async function f() {",
      // Spelled so that this file's own text holds no dynamic import of operator/.
      `  const { g } = await ${"import"}("../../operator/g.ts");`,
      `  const { h } = await ${"import"}(`,
      '    "../../operator/h.ts"',
      "  );",
      "}",
      'import "../../operator/side-effect.ts";',
    ].join("\n");
    const lines = crossingsOf("/repo", "scenarios/x/y.ts", source).map((c) => `${c.line} ${c.specifier}`);
    assert.deepEqual(lines, [
      "1 ../../operator/api/a.ts",
      "5 ../../operator/c.ts",
      "6 ../../operator/d.ts",
      "7 ../../operator/e.ts",
      "9 ../../operator/g.ts",
      "10 ../../operator/h.ts",
      "14 ../../operator/side-effect.ts",
    ]);
  });

  it("reports the operator importing the harness, and contract/ importing either", () => {
    const fromOperator = crossingsOf("/repo", "operator/a/b.ts", 'import { x } from "../../harness/x.ts";');
    assert.deepEqual(
      fromOperator.map((c) => c.into),
      ["harness"],
    );
    const fromContract = crossingsOf(
      "/repo",
      "contract/api/v1.ts",
      'import { y } from "../../operator/y.ts";',
    );
    assert.deepEqual(
      fromContract.map((c) => c.into),
      ["operator"],
    );
  });

  it("lets each side import its own code, the contract and packages", () => {
    const source = [
      'import { a } from "./a.ts";',
      'import { b } from "../../contract/patronus-api/v1.ts";',
      'import { c } from "undici";',
      'import { d } from "node:fs";',
    ].join("\n");
    assert.deepEqual(crossingsOf("/repo", "harness/x/y.ts", source), []);
    assert.deepEqual(crossingsOf("/repo", "operator/x/y.ts", source), []);
    assert.equal(importsOf(source).length, 4);
  });

  it("applies no rule to files outside the bounded folders", () => {
    const source = 'import { a } from "../../operator/x.ts";\nimport { b } from "../../harness/y.ts";';
    assert.deepEqual(crossingsOf("/repo", "test/integration/operator/env.ts", source), []);
  });
});
