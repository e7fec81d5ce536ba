import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { FIXTURES_DIR } from "../../paths.ts";
import { loadResults } from "../../results/index.ts";
import { headline } from "./headline.ts";

const measured = (day: string, scenario: string) =>
  loadResults(join(FIXTURES_DIR, "measured", day, scenario));

test("a scale run's headline: Sites and Paths with their times from the burst, peak memory, nothing lost", async () => {
  assert.equal(
    headline(await measured("2026-11-27", "scale-1000")),
    "1000 / 1000 Sites Ready in 9.6 s, Paths reporting in 27.3 s, operator peak 159.0 MiB, nothing lost.",
  );
});

test("a churn run's headline: the populate, then the figures its thresholds judge, by phase", async () => {
  assert.equal(
    headline(await measured("2026-11-27", "churn")),
    "1000 Sites Ready in 8.8 s, Paths reporting in 24.9 s, Site create → Ready (churn) p99 261 ms, " +
      "Spec update observed (churn) p99 209 ms, Achieved rate mean 50.01 ops/s, operator peak 179.8 MiB, nothing lost.",
  );
});

test("a failover run's headline names its failover figure; a wait after the load gives no bring-up time", async () => {
  assert.equal(
    headline(await measured("2026-11-27", "failover-leader")),
    "300 Sites Ready in 6.0 s, Leader failover gap max 15.97 s, operator peak 415.1 MiB, nothing lost.",
  );
});

test("a wait that timed out says how far it got, and the timeout is named", async () => {
  const r = await measured("2026-11-27", "scale-1000");
  const paths = r.phases.find((p) => p.name === "paths-ready");
  assert.ok(paths && typeof paths.finishedAt === "number");
  delete r.metrics['convergence_seconds{wait="paths-ready"}'];
  r.metrics.paths_reporting = { type: "series", unit: "objects", points: [[paths.finishedAt - 1, 3456]] };
  r.metrics.paths_expected = { type: "series", unit: "objects", points: [[paths.finishedAt - 1, 3850]] };
  r.metrics.wait_timeouts = { type: "counter", unit: "count", value: 1 };
  assert.match(
    headline(r),
    /, 3456 \/ 3850 Paths reporting when the wait for them ended, .*, 1 wait timed out\.$/,
  );
});
