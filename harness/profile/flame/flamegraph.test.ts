import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readCpuProfile } from "../cpu/cpuprofile.ts";
import { flameGraphHtml, flameTree } from "./flamegraph.ts";

const FIXTURE = join(import.meta.dirname, "..", "cpu", "fixtures", "operator-30-sites.cpuprofile");

describe("flame graph", () => {
  it("keeps every busy sample in the tree (children never exceed their parent)", async () => {
    const profile = await readCpuProfile(FIXTURE);
    const { root, idle } = flameTree(profile, 0);
    assert.equal(root.v + idle, profile.samples?.length);
    const check = (n: typeof root): void => {
      const sum = n.c.reduce((s, c) => s + c.v, 0);
      assert.ok(sum <= n.v, n.n);
      n.c.forEach(check);
    };
    check(root);
  });

  it("is one self-contained HTML file with the operator's frames", async () => {
    const html = flameGraphHtml(await readCpuProfile(FIXTURE), "test <flame>");
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /test &lt;flame&gt;/);
    assert.match(html, /reconcile operator\/controllers\//);
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/);
  });
});
