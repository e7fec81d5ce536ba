import assert from "node:assert/strict";
import { test } from "node:test";
import { updateStatus } from "./object-writes.ts";
import { SITES } from "./resources.ts";
import type { RestClient } from "./rest-client.ts";

interface Sent {
  verb: string;
  path: string;
  body: { metadata: Record<string, unknown>; status: unknown };
}

function recordingRest(sent: Sent[]): RestClient {
  return {
    send: async (verb: string, path: string, options: { body: Sent["body"] }) => {
      sent.push({ verb, path, body: options.body });
    },
  } as unknown as RestClient;
}

const site = {
  apiVersion: "sdwan.patronus.io/v1alpha1",
  kind: "Site",
  metadata: {
    name: "s1",
    namespace: "ns",
    resourceVersion: "42",
    finalizers: ["sdwan.patronus.io/deregister"],
    managedFields: [{ manager: "patronus-operator", operation: "Update" }],
  },
  spec: { region: "eu" },
  status: { phase: "Registering" },
};

test("writes status with a PUT of the object to /status, guarded by its resourceVersion, without managedFields", async () => {
  const sent: Sent[] = [];
  const wrote = await updateStatus(recordingRest(sent), SITES, site, { phase: "Ready" });
  assert.equal(wrote, true);
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.verb, "PUT");
  assert.equal(sent[0]!.path, "/apis/sdwan.patronus.io/v1alpha1/namespaces/ns/sites/s1/status");
  assert.deepEqual(sent[0]!.body.status, { phase: "Ready" });
  assert.equal(sent[0]!.body.metadata.resourceVersion, "42");
  assert.deepEqual(sent[0]!.body.metadata.finalizers, ["sdwan.patronus.io/deregister"]);
  assert.equal("managedFields" in sent[0]!.body.metadata, false);
  // The caller's object is not changed.
  assert.equal(site.metadata.managedFields.length, 1);
});

test("writes nothing when the status is what the object already has", async () => {
  const sent: Sent[] = [];
  assert.equal(await updateStatus(recordingRest(sent), SITES, site, { phase: "Registering" }), false);
  assert.equal(sent.length, 0);
});
