import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { HarnessError } from "../../errors.ts";
import { loadTopologyFile, worldFromTopologyFile } from "./file.ts";

const FIXTURES = fileURLToPath(new URL("../../../fixtures/topologies/", import.meta.url));
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "mesh-topology-"));
});
after(() => rm(dir, { recursive: true, force: true }));

test("every fixture in fixtures/topologies loads and yields tunnels", async () => {
  const files = (await readdir(FIXTURES)).filter((f) => /\.(json|ya?ml)$/.test(f));
  assert.ok(files.length >= 3);
  for (const f of files) {
    const file = await loadTopologyFile(join(FIXTURES, f));
    if ("generate" in file && file.generate.sites && file.generate.sites > 2000) continue; // size is the generator's test
    const world = worldFromTopologyFile(file);
    assert.ok(world.tunnels.length > 0, f);
  }
});

test("explicit sites: regional topology meshes hubs over every link and spokes to their region's hub", async () => {
  const world = worldFromTopologyFile(await loadTopologyFile(join(FIXTURES, "small-regional.yaml")));
  assert.deepEqual(world.regions, ["eu-west", "us-east"]);
  const ids = world.tunnels.map((t) => t.id);
  assert.ok(
    ids.includes("hub-eu-1.hub-us-1.mpls-0.mpls-0") &&
      ids.includes("hub-eu-1.hub-us-1.internet-0.internet-0"),
  );
  assert.ok(ids.includes("branch-paris.hub-eu-1.lte-0.mpls-0"), "lte falls back to the hub's first link");
  assert.ok(!ids.some((id) => id.includes("branch-paris") && id.includes("hub-us-1")));
});

async function expectError(name: string, text: string, pattern: RegExp): Promise<void> {
  const path = join(dir, name);
  await writeFile(path, text);
  await assert.rejects(loadTopologyFile(path), (err: unknown) => {
    assert.ok(err instanceof HarnessError);
    assert.ok(err.message.includes(path), `names the file: ${err.message}`);
    assert.match(err.message, pattern);
    return true;
  });
}

test("a bad file fails naming the file and the field", async () => {
  await expectError(
    "bad-type.yaml",
    "name: t\ntopology: {kind: regional}\nsites:\n  - {name: a, region: r, links: [{name: l, type: satellite, bandwidthMbps: 1, cost: 1}]}\n",
    /sites\[0\]\.links\[0\]\.type/,
  );
  await expectError(
    "bad-k.json",
    JSON.stringify({ name: "t", topology: { kind: "partial" }, generate: { sites: 5 } }),
    /topology\.k/,
  );
  await expectError(
    "extra.yaml",
    "name: t\ntopology: {kind: full}\ngenerate: {sites: 5, colour: red}\n",
    /generate\.colour/,
  );
  await expectError(
    "hubs.yaml",
    "name: t\ntopology: {kind: full}\ngenerate: {sites: 4, regions: 2, hubsPerRegion: 3}\n",
    /generate\.hubsPerRegion/,
  );
  await expectError(
    "dup.yaml",
    "name: t\ntopology: {kind: full}\nsites:\n  - {name: a, region: r, links: [{name: l, type: lte, bandwidthMbps: 1, cost: 1}, {name: l, type: mpls, bandwidthMbps: 1, cost: 1}]}\n",
    /sites\[0\]\.links.*unique/,
  );
  await expectError("syntax.yaml", "name: [unclosed\n", /not valid YAML/);
  await assert.rejects(loadTopologyFile(join(dir, "missing.yaml")), /cannot read topology file/);
});
