/**
 * The patronus-rs dialect against a running simulator, checked against its committed OpenAPI
 * document: the four calls the upstream operator makes (create-or-replace and delete of sites and
 * policies, no token), body validation naming the field, the world's sites joining the model (so
 * faults and telemetry follow), and what every dialect shares: outages, callers by URL prefix in
 * the request log and metrics, the per-caller rate limit, partitions, and clients that hang up.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { after, before, test } from "node:test";
import type { ReceivedState } from "../../../harness/mesh/api/patronus-rs.ts";
import { OPENAPI_PATHS } from "../../../harness/mesh/api/write-openapi.ts";
import { type MeshSimulator, startMeshSimulator } from "../../../harness/mesh/index.ts";
import type { RequestLogEntry } from "../../../harness/mesh/requests/schema.ts";
import { call, OpenApiChecker } from "./helpers.ts";

let sim: MeshSimulator;
const checker = new OpenApiChecker(JSON.parse(readFileSync(OPENAPI_PATHS["patronus-rs"], "utf8")));
const API = "/api/v1";
const KEY = "YjE2OTNkMWQxYzYwZGU3ZWZhMDU4MWU3YzU4MTU4MD0=";
// Low enough that a flood is refused however slowly a loaded machine sends it; each test calls
// under its own callers, so none of them comes near it.
const RATE = { requestsPerSecond: 5, burst: 20 };

before(async () => {
  sim = await startMeshSimulator({
    dialect: "patronus-rs",
    sites: 8,
    regions: 1,
    hubsPerRegion: 1,
    tickMs: 100,
    linkEventProbability: 0,
    rateLimit: RATE,
  });
});
after(() => sim?.stop());

/** The body the upstream operator builds for a Site (every key present, nulls for what is left out). */
const siteBody = (name: string, endpoint = "10.0.0.1:51820", extra: Record<string, unknown> = {}) => ({
  name,
  location: null,
  wireguard: { public_key: KEY, listen_port: 51820, endpoints: [endpoint] },
  resources: null,
  mesh: { enabled: true, peer_with: [] },
  ...extra,
});
const policyBody = (priority: number) => ({
  priority,
  match: { protocol: "tcp", dst_port_range: "443" },
  action: { type: "route", primary_path: { site_ref: "a", path_id: "p1" } },
});

/** A call as the operator makes it: no token, the replica's caller prefix in the base URL. */
async function rs(caller: string, method: string, pattern: string, path: string, body?: unknown) {
  const res = await call(sim.callerUrl(caller), undefined, method, `${API}${path}`, body);
  checker.check(method, `${API}${pattern}`, res);
  return res;
}

const received = () => sim.faults.received();
const metrics = async () => (await call(sim.url, undefined, "GET", "/metrics")).text;
const counter = (text: string, name: string, labels: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(" ").at(-1)) : 0;
};

test("PUT creates (201), replaces (200, revision +1; same body keeps it), DELETE 204, absent 404", async () => {
  const name = sim.world.sites[0]!.name;
  const created = await rs("replica-0", "PUT", "/sites/{name}", `/sites/${name}`, siteBody(name));
  assert.equal(created.status, 201);
  assert.equal((created.body as { revision: number }).revision, 1);
  const same = await rs("replica-0", "PUT", "/sites/{name}", `/sites/${name}`, siteBody(name));
  assert.equal(same.status, 200);
  assert.equal((same.body as { revision: number }).revision, 1, "an identical body is no change");
  const updated = await rs(
    "replica-1",
    "PUT",
    "/sites/{name}",
    `/sites/${name}`,
    siteBody(name, "10.0.0.2:51820"),
  );
  assert.equal(updated.status, 200);
  assert.equal((updated.body as { revision: number }).revision, 2);

  const held = (await received()).sites.find((s) => s.name === name);
  assert.deepEqual(held?.body, siteBody(name, "10.0.0.2:51820"), "the latest body is kept as sent");
  assert.equal(held?.caller, "replica-1", "with who sent it");
  assert.ok(sim.simulation.sites.get(name), "the world's site of that name joined the model");

  const policy = await rs("replica-0", "PUT", "/policies/{name}", "/policies/voice", policyBody(100));
  assert.equal(policy.status, 201);
  assert.equal(
    (await rs("replica-0", "PUT", "/policies/{name}", "/policies/voice", policyBody(200))).status,
    200,
  );
  assert.deepEqual(
    (await received()).policies.map((p) => [p.name, p.body.priority, p.revision]),
    [["voice", 200, 2]],
  );

  assert.equal((await rs("replica-0", "DELETE", "/sites/{name}", `/sites/${name}`)).status, 204);
  assert.equal(sim.simulation.sites.get(name), undefined, "deregistered from the model");
  assert.equal((await rs("replica-0", "DELETE", "/sites/{name}", `/sites/${name}`)).status, 404);
  assert.equal((await rs("replica-0", "DELETE", "/policies/{name}", "/policies/voice")).status, 204);
  assert.equal((await rs("replica-0", "DELETE", "/policies/{name}", "/policies/voice")).status, 404);
  const state: ReceivedState = await received();
  assert.equal(
    state.sites.find((s) => s.name === name),
    undefined,
  );
  assert.deepEqual(
    state.deletions.map((d) => [d.kind, d.name, d.caller]),
    [
      ["site", name, "replica-0"],
      ["policy", "voice", "replica-0"],
    ],
  );
});

test("a bad body → 400 naming the field; unknown fields by name; the path's name must be the body's", async () => {
  const name = sim.world.sites[1]!.name;
  const cases: Array<[unknown, string]> = [
    [
      { ...siteBody(name), wireguard: { public_key: "short", listen_port: 51820, endpoints: ["a:1"] } },
      "wireguard.public_key",
    ],
    [
      { ...siteBody(name), wireguard: { public_key: KEY, listen_port: 0, endpoints: ["a:1"] } },
      "wireguard.listen_port",
    ],
    [
      { ...siteBody(name), wireguard: { public_key: KEY, listen_port: 1, endpoints: ["no-port"] } },
      "wireguard.endpoints[0]",
    ],
    [{ ...siteBody(name), extra: 1 }, "extra"],
    [{ ...siteBody(name), location: undefined }, "location"],
    [siteBody("another-name"), "name"],
  ];
  for (const [body, field] of cases) {
    const res = await rs("validator", "PUT", "/sites/{name}", `/sites/${name}`, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal((res.body as { field: string }).field, field);
  }
  const policy = await rs("validator", "PUT", "/policies/{name}", "/policies/p", {
    ...policyBody(1),
    action: { type: "teleport" },
  });
  assert.equal(policy.status, 400);
  assert.equal((policy.body as { field: string }).field, "action.type");
  assert.equal(
    (await received()).sites.find((s) => s.name === name),
    undefined,
    "nothing kept",
  );
});

test("no token on the operator's API; the control side still needs it", async () => {
  assert.equal((await call(sim.url, undefined, "GET", "/requests")).status, 401);
  assert.equal((await call(sim.url, undefined, "GET", "/received")).status, 401);
  assert.equal((await call(sim.url, undefined, "POST", "/faults/v1/clear")).status, 401);
  assert.equal((await call(sim.url, undefined, "GET", `${API}/sites`)).status, 404, "no list call exists");
});

test("registered world sites are modelled: their tunnels get telemetry and a site failure takes them down", async () => {
  const registered = sim.world.sites.slice(0, 4);
  for (const s of registered)
    assert.equal(
      (await rs("replica-0", "PUT", "/sites/{name}", `/sites/${s.name}`, siteBody(s.name))).status,
      201,
    );
  const names = new Set(registered.map((s) => s.name));
  const between = sim.world.tunnels.filter((t) => names.has(t.siteA) && names.has(t.siteB));
  assert.ok(between.length > 0);
  assert.equal(sim.simulation.tunnels.modeledSize, between.length, "tunnels between registered sites only");
  const snapshot = await call(sim.url, undefined, "GET", `${API}/telemetry/snapshot`);
  checker.check("GET", `${API}/telemetry/snapshot`, snapshot);
  assert.equal((snapshot.body as { tunnels: unknown[] }).tunnels.length, between.length);

  const hub = registered.find((s) => s.hub)!;
  const since = sim.events.lastSeq;
  await sim.faults.fail({ kind: "site", site: hub.name }, 5000);
  const down = await sim.events.waitFor(
    (e) => e.kind === "tunnels.state" && ((e.detail.down as string[] | undefined)?.length ?? 0) > 0,
    5000,
    since,
  );
  assert.ok((down.detail.down as string[]).every((id) => id.includes(hub.name)));
  await sim.faults.clearAll();
});

test("an outage answers 503 with Retry-After on the operator's calls", async () => {
  const name = sim.world.sites[2]!.name;
  const fault = await sim.faults.api({ kind: "unavailable", durationMs: 10_000 });
  try {
    for (const [method, pattern, path, body] of [
      ["PUT", "/sites/{name}", `/sites/${name}`, siteBody(name)],
      ["DELETE", "/sites/{name}", `/sites/${name}`, undefined],
      ["PUT", "/policies/{name}", "/policies/p", policyBody(1)],
      ["DELETE", "/policies/{name}", "/policies/p", undefined],
    ] as const) {
      const res = await rs("during-outage", method, pattern, path, body);
      assert.equal(res.status, 503, `${method} ${path}`);
      assert.ok(Number(res.headers.get("retry-after")) >= 1);
    }
  } finally {
    await sim.faults.clear(fault.id);
  }
  assert.ok(sim.simulation.sites.get(name), "the outage changed nothing");
});

test("every request is attributed to its caller: URL prefix, header, or anonymous", async () => {
  const { lastSeq } = await sim.faults.requests();
  const name = sim.world.sites[3]!.name;
  await rs("replica-2", "PUT", "/sites/{name}", `/sites/${name}`, siteBody(name, "10.9.9.9:1"));
  await call(sim.url, undefined, "DELETE", `${API}/policies/none`, undefined, {
    headers: { "x-patronus-caller": "by-header" },
  });
  await call(sim.url, undefined, "DELETE", `${API}/policies/none`);
  await call(sim.callerUrl("replica-2"), undefined, "GET", `${API}/nothing-here`);
  const bad = await call(sim.url, undefined, "PUT", `/c/bad%20name${API}/sites/${name}`, siteBody(name));
  assert.equal(bad.status, 400);
  assert.equal((bad.body as { field: string }).field, "caller");

  const page = await sim.faults.requests(lastSeq);
  const seen = page.requests.map((r: RequestLogEntry) => [r.caller, r.method, r.route, r.name, r.status]);
  assert.deepEqual(seen, [
    ["replica-2", "PUT", `${API}/sites/:name`, name, 200],
    ["by-header", "DELETE", `${API}/policies/:name`, "none", 404],
    ["anonymous", "DELETE", `${API}/policies/:name`, "none", 404],
    ["replica-2", "GET", "unmatched", null, 404],
    ["anonymous", "PUT", "unmatched", null, 400],
  ]);
  for (const r of page.requests) {
    assert.ok(Math.abs(r.atMs - Date.now()) < 60_000, "time in ms since the epoch");
    assert.ok(r.durationMs >= 0);
    assert.equal(r.outcome, "answered");
  }
  const only = await sim.faults.requests(lastSeq, { caller: "by-header" });
  assert.deepEqual(
    only.requests.map((r) => r.caller),
    ["by-header"],
  );
  const text = await metrics();
  assert.ok(
    counter(
      text,
      "patronus_api_requests_total",
      'caller="replica-2",route="/api/v1/sites/:name",method="PUT",code="200"',
    ) >= 1,
  );
});

test("the per-caller rate limit: 429 with Retry-After beyond it, counted per caller, others unaffected", async () => {
  const name = sim.world.sites[4]!.name;
  const flood = await Promise.all(
    Array.from({ length: 5 * RATE.burst }, () =>
      call(sim.callerUrl("flooder"), undefined, "PUT", `${API}/sites/${name}`, siteBody(name)),
    ),
  );
  const limited = flood.filter((r) => r.status === 429);
  assert.ok(limited.length > 0, "a flood beyond the burst is refused");
  assert.ok(Number(limited[0]!.headers.get("retry-after")) >= 1);
  checker.check("PUT", `${API}/sites/{name}`, limited[0]!);
  const other = await rs("calm", "PUT", "/sites/{name}", `/sites/${name}`, siteBody(name));
  assert.equal(other.status, 200, "another caller has its own bucket");
  const text = await metrics();
  assert.equal(counter(text, "patronus_api_rate_limited_total", 'caller="flooder"'), limited.length);
  assert.equal(counter(text, "patronus_api_rate_limited_total", 'caller="calm"'), 0);
});

test("a blackhole partition holds one caller's requests until it gives up or the partition heals", async () => {
  const name = sim.world.sites[5]!.name;
  const fault = await sim.faults.partition("cut-off", 60_000);
  const { lastSeq } = await sim.faults.requests();
  const held = () => metrics().then((t) => counter(t, "patronus_api_partitioned_total", 'caller="cut-off"'));
  // The client gives up once its request is held: no answer came, and nothing was applied.
  const client = new AbortController();
  const gaveUp = fetch(`${sim.callerUrl("cut-off")}${API}/sites/${name}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(siteBody(name, "10.1.1.1:1")),
    signal: client.signal,
  }).then(
    () => "answered",
    (err: Error) => err.name,
  );
  await waitFor(async () => (await held()) >= 1);
  client.abort();
  assert.equal(await gaveUp, "AbortError");
  assert.equal(
    (await rs("other", "DELETE", "/policies/{name}", "/policies/none")).status,
    404,
    "others are served",
  );
  // A request still waiting when the partition heals is served then, late.
  const late = rs("cut-off", "PUT", "/sites/{name}", `/sites/${name}`, siteBody(name, "10.2.2.2:2"));
  await waitFor(async () => (await held()) >= 2);
  assert.equal(
    (await received()).sites.find((s) => s.name === name),
    undefined,
    "held, not applied",
  );
  await sim.faults.clear(fault.id);
  assert.equal((await late).status, 201);
  assert.deepEqual((await received()).sites.find((s) => s.name === name)?.body, siteBody(name, "10.2.2.2:2"));

  await waitFor(async () => (await sim.faults.requests(lastSeq, { caller: "cut-off" })).requests.length >= 2);
  const entries = (await sim.faults.requests(lastSeq, { caller: "cut-off" })).requests;
  assert.deepEqual(
    entries.map((r) => [r.outcome, r.status]),
    [
      ["aborted", 0],
      ["answered", 201],
    ],
  );
  assert.ok((entries[1]!.heldMs ?? 0) > 0, "held until the heal");
});

test("a reset partition resets the caller's connections at once", async () => {
  const fault = await sim.faults.partition("reset-me", 10_000, "reset");
  try {
    const outcome = await fetch(`${sim.callerUrl("reset-me")}${API}/policies/x`, {
      method: "DELETE",
      signal: AbortSignal.timeout(5000),
    }).then(
      () => "answered",
      (err: Error) => (err.name === "TimeoutError" ? "timeout" : "connection error"),
    );
    assert.equal(outcome, "connection error");
  } finally {
    await sim.faults.clear(fault.id);
  }
  assert.equal((await rs("reset-me", "DELETE", "/policies/{name}", "/policies/x")).status, 404, "healed");
});

test("a client hanging up mid-request is counted as aborted, never as a 500", async () => {
  const name = sim.world.sites[6]!.name;
  const { lastSeq } = await sim.faults.requests();
  const url = new URL(`${sim.callerUrl("quitter")}${API}/sites/${name}`);
  await new Promise<void>((resolve) => {
    const req = request(url, {
      method: "PUT",
      headers: { "content-type": "application/json", "content-length": "5000" },
    });
    req.on("error", () => resolve());
    req.write('{"name": "'); // then hang up with most of the declared body unsent
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 200);
  });
  await waitFor(async () => (await sim.faults.requests(lastSeq, { caller: "quitter" })).requests.length > 0);
  const [entry] = (await sim.faults.requests(lastSeq, { caller: "quitter" })).requests;
  assert.equal(entry?.outcome, "aborted");
  assert.equal(entry?.status, 0);
  const text = await metrics();
  assert.ok(
    counter(text, "mesh_http_requests_aborted_total", 'route="/api/v1/sites/:name",method="PUT"') >= 1,
  );
  assert.equal(
    text.split("\n").filter((l) => l.startsWith("mesh_http_requests_total{") && l.includes('code="500"'))
      .length,
    0,
    "no 500 was counted",
  );
  assert.equal(
    counter(
      text,
      "patronus_api_requests_total",
      'caller="quitter",route="/api/v1/sites/:name",method="PUT",code="aborted"',
    ),
    1,
  );
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
