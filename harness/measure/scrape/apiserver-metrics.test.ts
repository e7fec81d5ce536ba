import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePrometheusText } from "../prometheus/parse.ts";
import { storedObjectCount } from "./apiserver-metrics.ts";

const parse = (text: string) => parsePrometheusText(text).samples;

describe("stored object count from the apiserver's /metrics", () => {
  it("sums our group's objects once the apiserver has counted (Kubernetes 1.3x names)", () => {
    const samples = parse(
      [
        'apiserver_resource_objects{group="",resource="namespaces"} 5',
        'apiserver_resource_objects{group="sdwan.patronus.io",resource="sites"} 1000',
        'apiserver_resource_objects{group="sdwan.patronus.io",resource="paths"} 3850',
        'apiserver_resource_objects{group="sdwan.patronus.io",resource="meshes"} 1',
      ].join("\n"),
    );
    assert.equal(storedObjectCount(samples), 4851);
  });

  it("reads the older apiserver_storage_objects{resource=<plural>.<group>}", () => {
    const samples = parse(
      [
        'apiserver_storage_objects{resource="namespaces"} 5',
        'apiserver_storage_objects{resource="sites.sdwan.patronus.io"} 12',
        'apiserver_storage_objects{resource="sites.other.example.io"} 7',
      ].join("\n"),
    );
    assert.equal(storedObjectCount(samples), 12);
  });

  it("is 0 when the apiserver has counted and none of ours exist", () => {
    const samples = parse(
      [
        'apiserver_resource_objects{group="",resource="namespaces"} 5',
        'apiserver_resource_objects{group="sdwan.patronus.io",resource="sites"} 0',
      ].join("\n"),
    );
    assert.equal(storedObjectCount(samples), 0);
  });

  it("is undefined before the first count: every resource still at its initial 0", () => {
    const samples = parse(
      [
        'apiserver_resource_objects{group="",resource="namespaces"} 0',
        'apiserver_resource_objects{group="",resource="configmaps"} 0',
        'apiserver_resource_objects{group="sdwan.patronus.io",resource="sites"} 0',
      ].join("\n"),
    );
    assert.equal(storedObjectCount(samples), undefined);
    assert.equal(storedObjectCount([]), undefined);
  });
});
