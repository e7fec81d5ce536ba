/**
 * npm test's prerequisites: a test whose tool is missing is not run and says why, the closing
 * summary names it, and in CI (CI=true) nothing may be left out.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { it } from "node:test";
import { REPO_ROOT } from "../../prerequisites/prerequisites.ts";
import { requires } from "../../prerequisites/requires.ts";
import skippedReporter from "../../prerequisites/skipped-reporter.ts";

const NODE = process.execPath;

function withEnv<T>(env: Record<string, string | undefined>, f: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    return f();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

it("a missing tool makes the test say what it needs and how to get it; CI runs it anyway", () => {
  const missing = withEnv({ PATH: "/nonexistent", CI: undefined }, () => requires("promtool"));
  assert.match(
    missing.skip ?? "",
    /^needs promtool \(metrics lint\) \(promtool is not on PATH; fix: apt-get install -y prometheus\)$/,
  );
  assert.deepEqual(
    withEnv({ PATH: "/nonexistent", CI: "true" }, () => requires("promtool")),
    {},
  );
});

it("the closing summary names every test that did not run, with its reason", async () => {
  async function* events() {
    yield { type: "test:pass", data: { name: "ran", file: `${process.cwd()}/a.test.ts` } };
    yield {
      type: "test:pass",
      data: { name: "needs docker", file: `${process.cwd()}/b.test.ts`, skip: "needs a Docker engine (…)" },
    };
  }
  let out = "";
  for await (const chunk of skippedReporter(events())) out += chunk;
  assert.equal(
    out,
    "\nNot run here (1) — everything else ran:\n  - b.test.ts › needs docker: needs a Docker engine (…)\n",
  );
});

it("the pretest check lists what is missing, and fails the run only in CI", () => {
  const script = join(REPO_ROOT, "test", "prerequisites", "provide.ts");
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: "/nonexistent" };
  delete env.CI;
  const local = spawnSync(NODE, [script, "--check"], { env, encoding: "utf8" });
  assert.equal(local.status, 0, local.stderr);
  assert.match(
    local.stdout,
    /test setup: missing promtool \(metrics lint\): promtool is not on PATH — fix: apt-get install -y prometheus/,
  );
  assert.match(local.stdout, /the closing summary names them/);
  const ci = spawnSync(NODE, [script, "--check"], { env: { ...env, CI: "true" }, encoding: "utf8" });
  assert.equal(ci.status, 1);
  assert.match(ci.stderr, /CI=true allows no test to be left out/);
});
