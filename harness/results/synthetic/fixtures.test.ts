import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";
import { writeSyntheticFixtures } from "./fixtures.ts";

test("committed fixtures/results match the generator (npm run fixtures:results)", async () => {
  const committed = new URL("../../../fixtures/results/", import.meta.url).pathname;
  const dir = await mkdtemp(join(tmpdir(), "fixtures-"));
  try {
    const files = await writeSyntheticFixtures(dir);
    for (const file of files) {
      const rel = relative(dir, file);
      assert.equal(
        await readFile(join(committed, rel), "utf8"),
        await readFile(file, "utf8"),
        `${rel} is stale`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
