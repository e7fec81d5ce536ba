import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { REPO_ROOT } from "../paths.ts";

it("refuses a scenario whose required kinds the operator lacks: one line, exit 1, nothing started", () => {
  const out = join(tmpdir(), `refused-${process.pid}`);
  const r = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, "harness/cli/main.ts"),
      "run",
      "failover-path",
      "--operator",
      "patronus-rs",
      "--out",
      out,
    ],
    { encoding: "utf8", cwd: REPO_ROOT, timeout: 60_000 },
  );
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(
    lines[0] ?? "",
    /^error: scenario failover-path needs Path resources; the operator patronus-rs has none \(it serves Site, Policy\)/,
  );
  assert.equal(r.stdout, "");
  assert.equal(existsSync(out), false, "no output directory: nothing started");
});
