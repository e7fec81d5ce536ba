/**
 * Every bad input of docs/bad-inputs.md, run: the exit code (HTTP status) and first line are the
 * ones the table shows, nothing named to stay absent was created, and the table is the one the
 * cases render (run test/integration/cli/bad-inputs/doc.ts --write after changing a case).
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type MeshSimulator, startMeshSimulator } from "../../../harness/mesh/index.ts";
import { BAD_INPUTS } from "./bad-inputs/cases.ts";
import { PAGE, renderPage } from "./bad-inputs/doc.ts";
import { matches, placeholders, runCase } from "./bad-inputs/run-case.ts";

const root = mkdtempSync(join(tmpdir(), "pb-bad-inputs-"));
// The unprivileged cases must be able to reach their scratch directories.
chmodSync(root, 0o755);
// Should a case pass validation by mistake, its run stops at the missing etcd instead of starting one.
process.env.TEST_ASSET_ETCD = join(root, "no-etcd");
let sim: MeshSimulator;

before(async () => {
  sim = await startMeshSimulator({
    sites: 4,
    regions: 1,
    hubsPerRegion: 1,
    preload: true,
    bodyLimitBytes: 1024 * 1024,
  });
});
after(async () => {
  await sim.stop();
  rmSync(root, { recursive: true, force: true });
});

for (const [index, c] of BAD_INPUTS.entries()) {
  describe(c.area, () => {
    it(`${c.what} → ${c.kind === "api" ? c.status : c.exit}`, { timeout: 60_000 }, async () => {
      const tmp = join(root, String(index));
      mkdirSync(tmp);
      const seen = await runCase(c, { tmp, sim });
      assert.equal(seen.status, c.kind === "api" ? c.status : c.exit, seen.first);
      assert.ok(
        matches(c.first, seen.first),
        `first line\n  seen:     ${seen.first}\n  expected: ${c.first}`,
      );
      if (c.kind === "cli") {
        for (const path of c.leavesNothing ?? [])
          assert.equal(existsSync(placeholders(tmp).fill(path)), false, `${path} was created`);
      }
    });
  });
}

it("docs/bad-inputs.md shows exactly these cases", () => {
  const page = readFileSync(PAGE, "utf8");
  assert.equal(
    page,
    renderPage(page),
    "the table is stale: run node test/integration/cli/bad-inputs/doc.ts --write",
  );
});
