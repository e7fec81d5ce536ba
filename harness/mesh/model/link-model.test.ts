import assert from "node:assert/strict";
import { test } from "node:test";
import {
  LINK_TYPE_CODES,
  type LinkSample,
  linkBaseline,
  NOISE_PERIOD_TICKS,
  sampleLink,
} from "./link-model.ts";
import { LinkTable } from "./link-table.ts";
import { STATE_DOWN, STATE_UP } from "./tunnel-model.ts";
import { TunnelTable } from "./tunnel-table.ts";
import { generateWorld } from "./world.ts";

function series(seed: number, ticks: number, eventProbability = 0.05): number[] {
  const world = generateWorld({ sites: 40, regions: 2, seed });
  const links = new LinkTable(seed);
  for (const s of world.sites) links.upsertSite(s);
  const out: number[] = [];
  for (let t = 0; t < ticks; t++) {
    links.evaluate(t, eventProbability);
    for (let l = 0; l < 40 * 3; l++)
      if (links.linkPresent[l]) out.push(links.curLat[l]!, links.curJit[l]!, links.curLoss[l]!);
  }
  return out;
}

test("same seed, same series; another seed, another series", () => {
  const a = series(42, 200);
  assert.deepEqual(series(42, 200), a);
  assert.notDeepEqual(series(43, 200), a);
});

test("a link's value depends on (key, tick) only, not on evaluation order", () => {
  const base = linkBaseline(1234, LINK_TYPE_CODES.internet);
  const at = (tick: number): LinkSample =>
    sampleLink(1234, base, tick, 0.5, { latencyMs: 0, jitterMs: 0, lossPercent: 0 });
  const forward = [0, 1, 2, 500, 501].map((t) => ({ ...at(t) }));
  const backward = [501, 500, 2, 1, 0].map((t) => ({ ...at(t) })).reverse();
  assert.deepEqual(forward, backward);
});

test("noise re-draws once per NOISE_PERIOD_TICKS, so few links move per tick", () => {
  const base = linkBaseline(99, LINK_TYPE_CODES.mpls);
  const s = (t: number) =>
    sampleLink(99, base, t, 0, { latencyMs: 0, jitterMs: 0, lossPercent: 0 }).latencyMs;
  let changes = 0;
  for (let t = 1; t <= NOISE_PERIOD_TICKS * 10; t++) if (s(t) !== s(t - 1)) changes++;
  assert.ok(changes >= 9 && changes <= 11, `${changes} changes in 10 periods`);
});

test("noise alone never degrades a tunnel; a failed link takes it down", () => {
  const world = generateWorld({ sites: 300, seed: 5 });
  const links = new LinkTable(5);
  for (const s of world.sites) links.upsertSite(s);
  const tunnels = new TunnelTable();
  for (const t of world.tunnels) tunnels.resolve(tunnels.retain(t), links, () => true);
  const changed = new Int32Array(tunnels.slotLimit);
  const prev = new Uint8Array(tunnels.slotLimit);
  for (let tick = 0; tick < 300; tick++) {
    links.evaluate(tick, 0);
    tunnels.evaluate(links, changed, prev);
    for (let s = 0; s < tunnels.slotLimit; s++) assert.equal(tunnels.pubState[s], STATE_UP, `tick ${tick}`);
  }
  links.faultDown[tunnels.linkA[0]!] = 1;
  const n = tunnels.evaluate(links, changed, prev);
  assert.ok(n >= 1);
  assert.equal(tunnels.pubState[0], STATE_DOWN);
});
