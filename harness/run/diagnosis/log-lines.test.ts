import assert from "node:assert/strict";
import { it } from "node:test";
import { errorLine, LogGroups, shapeOf } from "./log-lines.ts";

it("groups text (tracing) error lines by shape: names, numbers and times out, HTTP statuses kept", () => {
  const g = new LogGroups();
  const line = (t: string, site: string, status: number) =>
    `\x1b[2m2026-12-07T01:02:${t}Z\x1b[0m \x1b[31mERROR\x1b[0m reconcile{site_name=${site}}: Failed to create/update site in Patronus: Patronus API error: API returned ${status} Too Many Requests`;
  for (let i = 0; i < 30; i++) g.add(line(`0${i % 10}.${100 + i}`, `site-000${10 + i}`, 429), "text");
  for (let i = 0; i < 4; i++) g.add(line(`1${i}.5`, `site-0000${i}`, 503), "text");
  g.add(
    "2026-12-07T01:02:03.1Z  INFO reconcile{site_name=site-00001}: Reconciling site: ns/site-00001",
    "text",
  );
  g.add("2026-12-07T01:02:03.1Z  WARN Invalid site specification: Listen port cannot be 0", "text");
  const top = g.top(5);
  assert.deepEqual(
    top.map((x) => [x.count, x.level, x.pattern]),
    [
      [
        30,
        "error",
        "reconcile{site_name=site-<n>}: Failed to create/update site in Patronus: Patronus API error: API returned 429 Too Many Requests",
      ],
      [
        4,
        "error",
        "reconcile{site_name=site-<n>}: Failed to create/update site in Patronus: Patronus API error: API returned 503 Too Many Requests",
      ],
      [1, "warn", "Invalid site specification: Listen port cannot be <n>"],
    ],
  );
  assert.equal(g.lines, 36);
  assert.equal(g.errors, 34);
  assert.ok(!(top[0]?.example ?? "").includes("\x1b"), "colour codes are taken out");
});

it("reads JSON logs (pino's numeric levels, string levels, err objects)", () => {
  assert.deepEqual(
    errorLine(
      '{"level":50,"time":1,"msg":"reconcile failed","err":{"message":"timeout after 3000ms"}}',
      "json",
    ),
    {
      level: "error",
      message: "reconcile failed: timeout after 3000ms",
    },
  );
  assert.deepEqual(errorLine('{"level":"warn","msg":"lease renewal slow"}', "json"), {
    level: "warn",
    message: "lease renewal slow",
  });
  assert.equal(errorLine('{"level":30,"msg":"reconciled"}', "json"), undefined);
  assert.equal(errorLine("not json at all", "json"), undefined);
  assert.deepEqual(
    errorLine('level=error ts=2026-12-07T00:00:00Z msg="sync failed" site=site-00001', "text"),
    {
      level: "error",
      message: "sync failed",
    },
  );
});

it("keeps a message's words and HTTP statuses, and drops what varies", () => {
  assert.equal(
    shapeOf('request to 127.0.0.1:41234 for "site-00012" failed after 1523ms (attempt 3), status 503'),
    'request to <addr> for "…" failed after <n> (attempt <n>), status 503',
  );
});
