import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { HarnessError } from "../errors.ts";
import { checkOutDir, defaultOutDir, linkLatest, prepareOutDir, timestamp } from "./output-dir.ts";

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

describe("checkOutDir refuses what cannot hold a run's files, and creates nothing", () => {
  const root = mkdtempSync(join(tmpdir(), "out-check-"));
  const file = join(root, "a-file");
  writeFileSync(file, "");
  symlinkSync(join(root, "nothing-here"), join(root, "dangling"));
  const cases: Array<[string, string, RegExp]> = [
    [
      "a path on /proc",
      "/proc/patronus-bench-out",
      /^--out \/proc\/patronus-bench-out: \/proc is a kernel pseudo-filesystem \(proc\)/,
    ],
    ["a path deeper on /proc", "/proc/a/b", /\/proc is a kernel pseudo-filesystem \(proc\)/],
    ["a path on /sys", "/sys/patronus-bench-out", /\/sys is a kernel pseudo-filesystem \(sysfs\)/],
    ["a path on /dev", "/dev/patronus-bench-out", /\/dev is a kernel pseudo-filesystem \(devtmpfs\)/],
    ["an existing file", file, /: is an existing file, not a directory$/],
    ["a path under a file", join(file, "run"), /a-file is a file, so no directory can be created under it$/],
    [
      "a path through a dangling symlink",
      join(root, "dangling", "run"),
      /dangling is a symbolic link to something that does not exist$/,
    ],
  ];
  for (const [what, path, message] of cases) {
    it(what, async () => {
      const err = await checkOutDir(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof HarnessError, `${path} was accepted`);
      assert.match(err.message, message);
      assert.match(err.fix ?? "", /--out/);
      assert.equal(existsSync(path), path === file);
    });
  }

  it("accepts a new nested directory without creating it, and prepareOutDir creates it level by level", async () => {
    const nested = join(root, "new", "deeper", "run");
    assert.equal(await checkOutDir(nested), nested);
    assert.equal(existsSync(join(root, "new")), false);
    assert.equal(await prepareOutDir(nested), nested);
    assert.ok(statSync(nested).isDirectory());
    assert.equal(await prepareOutDir(nested), nested, "an existing directory is fine");
  });

  it("names the flag it checks", async () => {
    await assert.rejects(checkOutDir(file, "--charts-out"), /^HarnessError: --charts-out /);
  });
});
