import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Decoder } from "cbor-x";
import { asJsonWould, decodeCborStatus, encodeCborBody } from "./cbor-body.ts";

describe("CBOR request bodies", () => {
  it("carry what JSON.stringify would, behind the self-described CBOR tag", () => {
    const when = new Date("2026-11-27T07:00:00.000Z");
    const body = {
      apiVersion: "patronus.dev/v1alpha1",
      metadata: { name: "a", labels: undefined, finalizers: ["x"] },
      status: { latencyMs: 12.5, hops: 3, at: when, notes: [undefined, "n"], ok: true, gone: null },
    };
    const bytes = encodeCborBody(body);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xd9, 0xd9, 0xf7]);
    const decoded = new Decoder({ mapsAsObjects: true }).decode(bytes);
    assert.deepEqual(decoded, JSON.parse(JSON.stringify(body)));
    assert.ok(!bytes.includes(0xf7, 3), "no undefined (simple value 23), which the apiserver refuses");
  });

  it("leaves a value that needs no change as it is, and never changes the caller's", () => {
    const clean = { a: { b: [1, "x"] } };
    assert.equal(asJsonWould(clean), clean);
    const dirty = { a: { b: undefined, c: 1 } };
    assert.deepEqual(asJsonWould(dirty), { a: { c: 1 } });
    assert.ok("b" in dirty.a, "the caller's object is not modified");
  });

  it("reads reason and message of a Status the apiserver answered in CBOR (byte-string keys)", () => {
    // {b"reason": b"Conflict", b"message": b"hi!"} with the self-described tag, as it encodes.
    const bytes = Buffer.from("d9d9f7a246726561736f6e48436f6e666c696374476d65737361676543686921", "hex");
    assert.deepEqual(decodeCborStatus(bytes), { reason: "Conflict", message: "hi!" });
    assert.deepEqual(decodeCborStatus(Buffer.from("d9d9f701", "hex")), {});
  });
});
