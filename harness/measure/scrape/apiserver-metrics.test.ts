import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePrometheusText } from "../prometheus/parse.ts";
import { StoredObjectCounts } from "./apiserver-metrics.ts";

const parse = (lines: string[]) => parsePrometheusText(lines.join("\n")).samples;

describe("stored object counts from the apiserver's /metrics", () => {
  it("nothing before the apiserver has counted any of our resources", () => {
    const counts = new StoredObjectCounts();
    const samples = parse([
      'apiserver_resource_objects{group="",resource="namespaces"} 5',
      'apiserver_resource_objects{group="sdwan.patronus.io",resource="sites"} 0',
      'apiserver_resource_objects{group="sdwan.patronus.io",resource="paths"} 0',
    ]);
    assert.equal(counts.update(samples), undefined);
    assert.equal(counts.update([]), undefined);
  });

  it("sums the resources counted so far; a resource at 0 joins once it has shown objects", () => {
    const counts = new StoredObjectCounts();
    const sites = (n: number) =>
      `apiserver_resource_objects{group="sdwan.patronus.io",resource="sites"} ${n}`;
    const paths = (n: number) =>
      `apiserver_resource_objects{group="sdwan.patronus.io",resource="paths"} ${n}`;
    // Sites counted first, Paths still at their initial 0: not an empty mesh, an uncounted one.
    assert.equal(counts.update(parse([sites(1000), paths(0)])), 1000);
    assert.equal(counts.update(parse([sites(1000), paths(3850)])), 4850);
    // Once counted, a 0 is a real 0 (every Path deleted).
    assert.equal(counts.update(parse([sites(1000), paths(0)])), 1000);
  });

  it("reads the older apiserver_storage_objects{resource=<plural>.<group>} and ignores other groups", () => {
    const counts = new StoredObjectCounts();
    const samples = parse([
      'apiserver_storage_objects{resource="namespaces"} 5',
      'apiserver_storage_objects{resource="sites.sdwan.patronus.io"} 12',
      'apiserver_storage_objects{resource="sites.other.example.io"} 7',
      'apiserver_resource_objects{group="other.example.io",resource="sites"} 9',
    ]);
    assert.equal(counts.update(samples), 12);
  });
});
