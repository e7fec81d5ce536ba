import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HarnessError } from "../../errors.ts";
import { EmbeddedCluster } from "./cluster.ts";
import { apiserverArgs, type Layout } from "./components.ts";
import { EmbeddedKnobs } from "./knobs.ts";
import type { PkiFiles } from "./pki.ts";

const layout = { apiserverPort: 1, etcdPort: 2, certDir: "/c" } as Layout;
const pki = { caCert: "/ca", servingCert: "/s", servingKey: "/k", saPub: "/p", saKey: "/q" } as PkiFiles;
const gatesOf = (knobs: unknown) =>
  apiserverArgs(layout, EmbeddedKnobs.parse(knobs), pki).filter((a) => a.startsWith("--feature-gates"));

describe("embedded knobs: kube-apiserver feature gates", () => {
  it("passes none by default and the flag's own syntax when set", () => {
    assert.deepEqual(gatesOf({}), []);
    assert.deepEqual(gatesOf({ apiserverFeatureGates: "CBORServingAndStorage=true,Foo=false" }), [
      "--feature-gates=CBORServingAndStorage=true,Foo=false",
    ]);
  });

  it("refuses what the flag would not take, saying what it takes", () => {
    for (const bad of [
      "CBORServingAndStorage",
      "CBORServingAndStorage=yes",
      "a=true",
      "A=true,",
      "A=true B=false",
    ]) {
      const parsed = EmbeddedKnobs.safeParse({ apiserverFeatureGates: bad });
      assert.equal(parsed.success, false, bad);
      assert.match(String(parsed.error?.issues[0]?.message), /Name=true\|false pairs/, bad);
    }
  });
});

describe("embedded cluster start with a bad knob", () => {
  it("refuses before anything starts, naming the knob in one readable line", async () => {
    await assert.rejects(
      EmbeddedCluster.start({ knobs: { apiserverFeatureGates: "CBOR", etcdPort: -1 } }),
      (err: unknown) =>
        err instanceof HarnessError &&
        /^invalid embedded cluster knobs: apiserverFeatureGates: Name=true\|false pairs.*; etcdPort: /.test(
          err.message,
        ),
    );
  });
});
