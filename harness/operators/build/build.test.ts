import assert from "node:assert/strict";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { HarnessError } from "../../errors.ts";
import { BuildSpec } from "../definition.ts";
import { buildOperator } from "./index.ts";

const root = mkdtempSync(join(tmpdir(), "opdef-build-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** A source tree with one input file; the "build" copies it to out/op and counts its runs. */
function source(name: string, content: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", "main.txt"), content);
  writeFileSync(join(dir, "README"), "not an input\n");
  return dir;
}

const spec = (over: Partial<BuildSpec> = {}) =>
  BuildSpec.parse({
    command: [
      "sh",
      "-c",
      'mkdir -p out && cp src/main.txt out/op && echo tool > out/gen && echo run >> "$COUNT"',
    ],
    inputs: ["src/**"],
    artifact: "out/op",
    extraArtifacts: ["out/gen"],
    env: { COUNT: "{cacheDir}/runs" },
    ...over,
  });

function runs(cacheDir: string): number {
  const file = join(cacheDir, "runs");
  return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").length : 0;
}

test("builds once per input digest: the same inputs are a cache hit, a changed input rebuilds", async () => {
  const cacheDir = join(root, "cache-a");
  const src = source("a", "v1\n");
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  const first = await buildOperator("fake", spec(), src, { log, cacheDir });
  assert.equal(readFileSync(first.path, "utf8"), "v1\n");
  assert.equal(first.dir, join(cacheDir, "fake", first.digest));
  assert.deepEqual(Object.keys(first.extra), ["gen"]);
  assert.equal(readFileSync(first.extra.gen as string, "utf8"), "tool\n");
  assert.equal(runs(cacheDir), 1);

  // A file that is no input does not change the key.
  writeFileSync(join(src, "README"), "edited\n");
  const again = await buildOperator("fake", spec(), src, { log, cacheDir });
  assert.equal(again.digest, first.digest);
  assert.equal(runs(cacheDir), 1);
  assert.ok(lines.some((l) => /cached build/.test(l)));

  writeFileSync(join(src, "src", "main.txt"), "v2\n");
  const changed = await buildOperator("fake", spec(), src, { log, cacheDir });
  assert.notEqual(changed.digest, first.digest);
  assert.equal(readFileSync(changed.path, "utf8"), "v2\n");
  assert.equal(runs(cacheDir), 2);
  // The earlier build stays usable.
  assert.equal(readFileSync(first.path, "utf8"), "v1\n");
});

test("builds in a writable copy ({buildDir}): a read-only source is never written", async () => {
  const cacheDir = join(root, "cache-b");
  const src = source("b", "ro\n");
  chmodSync(join(src, "src", "main.txt"), 0o444);
  chmodSync(join(src, "src"), 0o555);
  chmodSync(src, 0o555);
  const probe = spec({
    command: [
      "sh",
      "-c",
      // {buildDir} is filled in the command too: the copy the build runs in.
      'test "$PWD" = "$1" && test -w src/main.txt && echo w > written && mkdir -p out && cp src/main.txt out/op && echo g > out/gen',
      "sh",
      "{buildDir}",
    ],
  });
  const built = await buildOperator("fake", probe, src, { log: () => {}, cacheDir });
  assert.equal(readFileSync(built.path, "utf8"), "ro\n");
  assert.equal(existsSync(join(src, "written")), false);
  assert.equal(existsSync(join(src, "out")), false);
  assert.equal(statSync(src).mode & 0o777, 0o555);
});

test("two builds of one digest at once run the command once", async () => {
  const cacheDir = join(root, "cache-c");
  const src = source("c", "same\n");
  const slow = spec({
    command: [
      "sh",
      "-c",
      'sleep 1; mkdir -p out && cp src/main.txt out/op && echo g > out/gen && echo run >> "$COUNT"',
    ],
  });
  const [a, b] = await Promise.all([
    buildOperator("fake", slow, src, { log: () => {}, cacheDir }),
    buildOperator("fake", slow, src, { log: () => {}, cacheDir }),
  ]);
  assert.equal(a.path, b.path);
  assert.equal(runs(cacheDir), 1);
});

test("a missing tool is exit-1 input: what is missing and how to install it", async () => {
  const missing = spec({
    requires: [{ command: "no-such-compiler-xyz", install: "apt-get install -y xyz" }],
  });
  await assert.rejects(
    buildOperator("fake", missing, source("d", "x\n"), { log: () => {}, cacheDir: join(root, "cache-d") }),
    (err: HarnessError) =>
      err instanceof HarnessError &&
      /needs `no-such-compiler-xyz`, which is not on PATH/.test(err.message) &&
      err.fix === "apt-get install -y xyz",
  );
});

test("a failed build names its log and shows its last lines; nothing is cached", async () => {
  const cacheDir = join(root, "cache-e");
  const failing = spec({
    command: ["sh", "-c", "echo compiling thing; echo 'error[E0425]: cannot find value' >&2; exit 3"],
  });
  const src = source("e", "x\n");
  await assert.rejects(
    buildOperator("fake", failing, src, { log: () => {}, cacheDir }),
    (err: HarnessError) => {
      assert.match(err.message, /building fake \w+ failed after \d+ s: exited with 3/);
      assert.match(err.message, /error\[E0425\]: cannot find value/);
      const log = /see the whole build output in (\S+)/.exec(err.fix ?? "")?.[1];
      assert.ok(log && readFileSync(log, "utf8").includes("compiling thing"));
      return true;
    },
  );
  const ok = await buildOperator("fake", spec(), src, { log: () => {}, cacheDir });
  assert.equal(runs(cacheDir), 1);
  assert.ok(existsSync(ok.path));
});

test("a source without any input is refused before building", async () => {
  const empty = join(root, "empty");
  mkdirSync(empty);
  await assert.rejects(
    buildOperator("fake", spec(), empty, { log: () => {}, cacheDir: join(root, "cache-f") }),
    /holds none of the build inputs of operator fake \(src\/\*\*\)/,
  );
});
