import assert from "node:assert/strict";
import { mkdtempSync, readlinkSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { defaultOutDir, linkLatest, timestamp } from "./output-dir.ts";

it("names run directories by scenario and UTC time and moves reports/latest to the newest", async () => {
  assert.equal(timestamp(new Date("2026-11-26T03:04:05.678Z")), "20261126-030405Z");
  const root = mkdtempSync(join(tmpdir(), "reports-"));
  const a = defaultOutDir("smoke", root, new Date("2026-11-26T03:04:05Z"));
  const b = defaultOutDir("smoke", root, new Date("2026-11-26T03:05:05Z"));
  assert.equal(a, join(root, "smoke-20261126-030405Z"));
  await mkdir(a);
  await mkdir(b);
  await linkLatest(a);
  await linkLatest(b);
  assert.equal(readlinkSync(join(root, "latest")), "smoke-20261126-030505Z");
});
