/**
 * Bad input gets the right 4xx with a JSON ApiError naming the problem, and the simulator keeps
 * serving everyone else: malformed JSON, unknown fields, oversize bodies (with and without a
 * Content-Length), unknown sites, missing/wrong tokens, and a request flood from one token.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, test } from "node:test";
import { type MeshSimulator, startMeshSimulator } from "../../../harness/mesh/index.ts";
import { call, OpenApiChecker } from "./helpers.ts";

let sim: MeshSimulator;
const OTHER = "other-client-token-0123456789";
const FLOODER = "flooding-client-token-0123456789";
const checker = new OpenApiChecker();
const API = "/api/v1";

before(async () => {
  sim = await startMeshSimulator({
    sites: 6,
    regions: 1,
    hubsPerRegion: 1,
    preload: true,
    extraTokens: [OTHER, FLOODER],
    rateLimit: { requestsPerSecond: 20, burst: 40 },
    bodyLimitBytes: 64 * 1024,
  });
});
after(() => sim.stop());

const site = () => sim.world.sites[0]!;

test("malformed JSON → 400 bad_request", async () => {
  const res = await call(sim.url, sim.token, "POST", `${API}/sites`, undefined, { rawBody: '{"name": "a",' });
  assert.equal(res.status, 400);
  assert.equal((res.body as { code: string }).code, "bad_request");
  assert.match((res.body as { message: string }).message, /malformed JSON/);
  checker.check("POST", `${API}/sites`, res);
});

test("schema violations and unknown fields → 400 naming the field", async () => {
  const s = site();
  const cases: [unknown, string][] = [
    [{ ...s, links: [{ ...s.links[0], type: "satellite" }] }, "links[0].type"],
    [{ ...s, surprise: true }, "surprise"],
    [{ ...s, links: [{ ...s.links[0], extra: 1 }] }, "links[0].extra"],
    [{ ...s, name: "Not_A_Label" }, "name"],
    [{ ...s, links: [] }, "links"],
  ];
  for (const [body, field] of cases) {
    const res = await call(sim.url, sim.token, "POST", `${API}/sites`, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal((res.body as { field: string }).field, field);
    assert.ok((res.body as { message: string }).message.startsWith(`${field}:`));
    checker.check("POST", `${API}/sites`, res);
  }
  const noBody = await call(sim.url, sim.token, "POST", `${API}/sites`);
  assert.equal(noBody.status, 400);
  const badQuery = await call(sim.url, sim.token, "GET", `${API}/sites?limit=0`);
  assert.equal((badQuery.body as { field: string }).field, "limit");
  const badContinue = await call(sim.url, sim.token, "GET", `${API}/sites?continue=%%%`);
  assert.equal(badContinue.status, 400);
  const badFault = await call(sim.url, sim.token, "POST", "/faults/v1/degrade", {
    target: { kind: "site", site: site().name },
  });
  assert.equal((badFault.body as { field: string }).field, "addLatencyMs");
});

test("oversize body → 413, whether declared by Content-Length or streamed chunked", async () => {
  const big = JSON.stringify({ tunnels: [], pad: "x".repeat(100 * 1024) });
  const declared = await call(sim.url, sim.token, "PUT", `${API}/meshes/big/tunnels`, undefined, {
    rawBody: big,
  });
  assert.equal(declared.status, 413);
  assert.equal((declared.body as { code: string }).code, "payload_too_large");
  checker.check("PUT", `${API}/meshes/{name}/tunnels`, declared);

  // Chunked, no Content-Length: the limit is enforced while reading.
  const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const u = new URL(`${sim.url}${API}/meshes/big/tunnels`);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "PUT",
        headers: {
          authorization: `Bearer ${sim.token}`,
          "content-type": "application/json",
          "transfer-encoding": "chunked",
        },
      },
      (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    const chunk = "x".repeat(16 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < 8 && req.write(chunk)) sent++;
      if (sent < 8)
        req.once("drain", () => {
          sent++;
          pump();
        });
      else req.end();
    };
    pump();
  });
  assert.equal(streamed.status, 413);
  assert.equal(JSON.parse(streamed.body).code, "payload_too_large");
});

test("unknown site → 404; bad path name → 400", async () => {
  const res = await call(sim.url, sim.token, "GET", `${API}/sites/ghost`);
  assert.equal(res.status, 404);
  assert.equal((res.body as { code: string }).code, "not_found");
  const fault = await call(sim.url, sim.token, "POST", "/faults/v1/fail", {
    target: { kind: "site", site: "ghost" },
  });
  assert.equal(fault.status, 404);
  const badName = await call(sim.url, sim.token, "GET", `${API}/sites/UPPER`);
  assert.equal(badName.status, 400);
  assert.equal((badName.body as { field: string }).field, "name");
  const unknownPath = await call(sim.url, sim.token, "GET", `${API}/nothing-here`);
  assert.equal(unknownPath.status, 404);
});

test("missing or wrong token → 401 on the API, the fault API and the event log; health stays open", async () => {
  for (const path of [`${API}/sites`, "/faults/v1/faults", "/events", `${API}/telemetry/stream`]) {
    const none = await call(sim.url, undefined, "GET", path);
    assert.equal(none.status, 401, path);
    assert.equal((none.body as { code: string }).code, "unauthorized");
    assert.match(none.headers.get("www-authenticate") ?? "", /Bearer/);
    const wrong = await call(sim.url, "wrong-token-wrong-token", "GET", path);
    assert.equal(wrong.status, 401, path);
    assert.ok(!wrong.text.includes(sim.token), "the token is never echoed");
  }
  assert.equal((await call(sim.url, undefined, "GET", "/healthz")).status, 200);
});

test("a flood from one token → 429 with Retry-After, while another client is still served", async () => {
  const statuses = await Promise.all(
    Array.from({ length: 120 }, () => call(sim.url, FLOODER, "GET", `${API}/sites/${site().name}`)),
  );
  const limited = statuses.filter((r) => r.status === 429);
  assert.ok(limited.length >= 60, `expected most of 120 burst requests limited, got ${limited.length}`);
  const served = statuses.filter((r) => r.status === 200).length;
  assert.ok(served >= 35 && served <= 80, `the burst allowance (40) plus refill is served, got ${served}`);
  const retryAfter = Number(limited[0]!.headers.get("retry-after"));
  assert.ok(retryAfter >= 1, "Retry-After in whole seconds");
  checker.check("GET", `${API}/sites/{name}`, limited[0]!);
  const other = await call(sim.url, OTHER, "GET", `${API}/sites/${site().name}`);
  assert.equal(other.status, 200, "another token has its own bucket");
  assert.equal(
    (await call(sim.url, sim.token, "GET", `${API}/sites/${site().name}`)).status,
    200,
    "so is the main token",
  );
  const faults = await call(sim.url, sim.token, "GET", "/faults/v1/faults");
  assert.equal(
    faults.status,
    200,
    "the fault API is not rate limited, so a harness can always inject and restore",
  );
});
