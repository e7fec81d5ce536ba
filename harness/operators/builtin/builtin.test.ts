import assert from "node:assert/strict";
import { test } from "node:test";
import { generateWorld } from "../../mesh/model/world.ts";
import { PLACEHOLDERS, type Placeholder } from "../definition.ts";
import { loadOperatorDefinition } from "../load.ts";
import { fillPlaceholders } from "../placeholders.ts";

const reference = (await loadOperatorDefinition("reference")).definition;
const rs = (await loadOperatorDefinition("patronus-rs")).definition;
const world = generateWorld({ sites: 40, regions: 4, hubsPerRegion: 2, seed: 7 });

test("reference: Sites copy the world's site, an update moves the first link's cost; Policies toggle their latency bound", () => {
  const site = reference.kinds.Site.template;
  const policy = reference.kinds.Policy?.template;
  assert.ok(site && policy);
  for (const [index, s] of world.sites.entries()) {
    for (const variant of [0, 1, 2, 1500]) {
      const links = s.links.map((l, i) => (i === 0 ? { ...l, cost: (l.cost + variant) % 1001 } : { ...l }));
      assert.deepEqual(site({ index, seed: 7, variant, site: s }).spec, {
        region: s.region,
        hub: s.hub,
        links,
      });
    }
    assert.deepEqual(site({ index, seed: 7, variant: 0, site: s, settings: { links: 1 } }).spec, {
      region: s.region,
      hub: s.hub,
      links: s.links.slice(0, 1),
    });
  }
  const settings = {
    class: "gold",
    labels: { tier: "a" },
    sla: { maxLatencyMs: 90, maxJitterMs: 5, maxLossPercent: 0.5 },
  };
  for (const index of [0, 1, 5]) {
    for (const variant of [0, 1, 2, 3]) {
      assert.deepEqual(policy({ index, seed: 7, variant }).spec, {
        class: `${["voice", "video", "business", "bulk"][index % 4]}-${index}`,
        match: { applications: [`app-${index}`] },
        siteSelector: {},
        sla: { maxLatencyMs: variant % 2 === 1 ? 160 : 150, maxJitterMs: 30, maxLossPercent: 1 },
        preferredLinks: ["mpls", "internet", "lte"],
      });
      const custom: Record<string, unknown> = policy({ index, seed: 7, variant, settings }).spec;
      assert.equal(custom.class, "gold");
      assert.deepEqual(custom.siteSelector, { matchLabels: { tier: "a" } });
      // 90 is neither bound of the toggle: the first update sets 150, then it alternates.
      assert.equal(
        (custom.sla as { maxLatencyMs: number }).maxLatencyMs,
        variant === 0 ? 90 : variant % 2 === 1 ? 150 : 160,
      );
    }
  }
});

test("reference: Ready needs the condition True about the current generation; Failed carries the reason", () => {
  const obj = (generation: number, observed: number, status: string, phase = "Ready") => ({
    metadata: { name: "site-00001", generation },
    status: {
      phase,
      observedGeneration: observed,
      conditions: [
        { type: "Ready", status, reason: status === "True" ? "Synced" : "Rejected", message: "bad link" },
      ],
    },
  });
  const { ready, failed, updateObserved } = reference.kinds.Site;
  assert.equal(ready(obj(2, 2, "True")), true);
  assert.equal(ready(obj(3, 2, "True")), false);
  assert.equal(ready(obj(2, 2, "False", "Failed")), false);
  assert.equal(failed(obj(2, 2, "False", "Failed")), "Rejected: bad link");
  assert.equal(failed(obj(2, 2, "True")), undefined);
  assert.equal(updateObserved?.(obj(3, 3, "True"), { generation: 3, spec: {}, at: 0 }), true);
  assert.equal(updateObserved?.(obj(3, 2, "True"), { generation: 3, spec: {}, at: 0 }), false);
});

test("reference: the start command and arguments use only known placeholders, filled completely", () => {
  const values = Object.fromEntries(Object.keys(PLACEHOLDERS).map((k) => [k, `<${k}>`])) as Record<
    Placeholder,
    string
  >;
  const args =
    typeof reference.start.args === "function"
      ? reference.start.args({
          leaderElection: { leaseDuration: 15_000, renewDeadline: 10_000, retryPeriod: 2_000 },
          concurrency: 8,
          qps: 50,
          burst: 100,
          workqueueQps: 10,
          workqueueBurst: 100,
          extraArgs: ["--log-level", "debug"],
        })
      : [];
  const argv = [...reference.start.command, ...args].map((a) => fillPlaceholders(a, values));
  assert.ok(
    argv.every((a) => !/[{}]/.test(a)),
    argv.join(" "),
  );
  assert.equal(argv[0], "<node>");
  assert.ok(argv.includes("<repoRoot>/operator/main.ts"));
  assert.deepEqual(argv.slice(argv.indexOf("--concurrency"), argv.indexOf("--concurrency") + 2), [
    "--concurrency",
    "8",
  ]);
});

/** The checks the upstream operator applies before it calls the Patronus API (validate_site_spec). */
function upstreamSiteCheck(spec: Record<string, unknown>): string | undefined {
  const wg = spec.wireguard as { public_key: string; listen_port: number; endpoints: string[] };
  if (wg.public_key.length !== 44) return "WireGuard public key must be 44 characters";
  if (!wg.public_key.endsWith("=")) return "WireGuard public key must end with '='";
  if (wg.listen_port === 0) return "Listen port cannot be 0";
  if (wg.endpoints.length === 0) return "At least one endpoint is required";
  return wg.endpoints.find((e) => !e.includes(":"));
}

test("patronus-rs: Site specs pass the operator's own checks, deterministic per seed, updates change the location", () => {
  const template = rs.kinds.Site.template;
  assert.ok(template);
  const keys = new Set<string>();
  for (const [index, site] of world.sites.entries()) {
    const spec: Record<string, unknown> = template({ index, seed: 7, variant: 0, site }).spec;
    assert.equal(upstreamSiteCheck(spec), undefined);
    const wg = spec.wireguard as { public_key: string };
    assert.equal(Buffer.from(wg.public_key, "base64").length, 32);
    keys.add(wg.public_key);
    assert.deepEqual(template({ index, seed: 7, variant: 0, site }).spec, spec);
    const updated: Record<string, unknown> = template({ index, seed: 7, variant: 1, site }).spec;
    assert.notEqual(updated.location, spec.location);
    assert.deepEqual(updated.wireguard, spec.wireguard);
  }
  assert.equal(keys.size, world.sites.length);
  const other = template({ index: 0, seed: 8, variant: 0 }).spec.wireguard as { public_key: string };
  assert.ok(!keys.has(other.public_key));
});

test("patronus-rs: Policy specs stay in the operator's priority range and change on update", () => {
  const template = rs.kinds.Policy?.template;
  assert.ok(template);
  for (const index of [0, 1, 799, 800, 5000]) {
    for (const variant of [0, 1, 950]) {
      const spec = template({ index, seed: 1, variant }).spec as {
        priority: number;
        match: unknown;
        action: unknown;
      };
      assert.ok(spec.priority >= 0 && spec.priority <= 1000, String(spec.priority));
    }
    assert.notEqual(
      (template({ index, seed: 1, variant: 1 }).spec as { priority: number }).priority,
      (template({ index, seed: 1, variant: 0 }).spec as { priority: number }).priority,
    );
  }
});

test("patronus-rs: phase Active is Ready, Failed carries the Ready condition's message, an update is seen by a later status time", () => {
  const site = (phase: string, time: string, message = "Site is active") => ({
    metadata: { name: "site-00001", generation: 2 },
    status: {
      phase,
      conditions: [
        {
          type: "Ready",
          status: phase === "Active" ? "True" : "False",
          last_transition_time: time,
          reason: "Reconciled",
          message,
        },
      ],
    },
  });
  const { ready, failed, updateObserved } = rs.kinds.Site;
  const t = Date.parse("2026-12-07T01:00:00.500Z");
  assert.equal(ready(site("Active", "2026-12-07T01:00:00.000000001+00:00")), true);
  assert.equal(ready(site("Pending", "")), false);
  assert.equal(
    failed(site("Failed", "2026-12-07T01:00:00+00:00", "Failed to create/update: API returned 503")),
    "Failed to create/update: API returned 503",
  );
  assert.equal(failed(site("Active", "")), undefined);
  assert.ok(updateObserved);
  assert.equal(
    updateObserved(site("Active", "2026-12-07T01:00:00.700123456+00:00"), { generation: 2, spec: {}, at: t }),
    true,
  );
  assert.equal(
    updateObserved(site("Active", "2026-12-07T01:00:00.100+00:00"), { generation: 2, spec: {}, at: t }),
    false,
  );
  assert.equal(updateObserved({ metadata: { name: "s" } }, { generation: 1, spec: {}, at: t }), false);

  const policy = rs.kinds.Policy;
  assert.ok(policy);
  const p = (active?: boolean) => ({
    metadata: { name: "p" },
    status: active === undefined ? {} : { active },
  });
  assert.equal(policy.ready(p(true)), true);
  assert.equal(policy.ready(p()), false);
  assert.match(policy.failed(p(false)) ?? "", /status.active is false/);
  assert.equal(policy.failed(p(true)), undefined);
  assert.equal(policy.updateObserved, undefined);
});

test("patronus-rs: environment only, with placeholders the harness fills; no Mesh or Path", () => {
  assert.deepEqual(rs.start.command, ["{binary}"]);
  assert.deepEqual(Object.keys(rs.start.env).sort(), [
    "HEALTH_PORT",
    "KUBECONFIG",
    "METRICS_PORT",
    "PATRONUS_API_URL",
  ]);
  assert.equal(rs.kinds.Mesh, undefined);
  assert.equal(rs.kinds.Path, undefined);
  assert.deepEqual(rs.crds, { command: ["{artifactDir}/crdgen"] });
});
