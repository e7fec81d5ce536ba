import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { stringify } from "yaml";
import { KubeconfigError, loadClusterAccess } from "./cluster-access.ts";

const dir = mkdtempSync(join(tmpdir(), "cluster-access-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(
  name: string,
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = {},
): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      "current-context": "c",
      contexts: [{ name: "c", context: { cluster: "k", user: "u" } }],
      clusters: [{ name: "k", cluster: { server: "https://127.0.0.1:6443/", ...cluster } }],
      users: [{ name: "u", user }],
    }),
  );
  return file;
}

describe("loadClusterAccess", () => {
  it("reads an inline bearer token and the server without its trailing slash", async () => {
    const access = loadClusterAccess(kubeconfig("token", { token: "abc" }));
    assert.equal(access.server, "https://127.0.0.1:6443");
    assert.deepEqual(await access.authHeaders(), { authorization: "Bearer abc" });
  });

  it("reads a token file relative to the kubeconfig (client-go tokenFile and client-node's auth-provider)", async () => {
    writeFileSync(join(dir, "sa-token"), "from-file\n");
    const a = loadClusterAccess(kubeconfig("tokenfile", { tokenFile: "sa-token" }));
    assert.deepEqual(await a.authHeaders(), { authorization: "Bearer from-file" });
    const b = loadClusterAccess(
      kubeconfig("provider", { "auth-provider": { name: "tokenFile", config: { tokenFile: "sa-token" } } }),
    );
    assert.deepEqual(await b.authHeaders(), { authorization: "Bearer from-file" });
  });

  it("fails at load, naming the file, when the token file is missing", () => {
    const file = kubeconfig("missing", { tokenFile: "nope" });
    assert.throws(() => loadClusterAccess(file), /nope/);
  });

  it("names the field when the kubeconfig is malformed", () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, stringify({ "current-context": "c", contexts: [], clusters: [{ name: "k" }] }));
    assert.throws(
      () => loadClusterAccess(file),
      (err: unknown) => {
        assert.ok(err instanceof KubeconfigError);
        assert.match(err.message, /bad\.yaml: clusters\.0\.cluster/);
        return true;
      },
    );
  });

  it("names the missing context", () => {
    const file = join(dir, "noctx.yaml");
    writeFileSync(file, stringify({ "current-context": "x", contexts: [], clusters: [] }));
    assert.throws(() => loadClusterAccess(file), /context "x" not found/);
  });

  it("hands exec plugins and other auth to client-node's KubeConfig", async () => {
    const access = loadClusterAccess(
      kubeconfig("basic", { username: "admin", password: "secret" }, { "insecure-skip-tls-verify": true }),
    );
    assert.equal(access.server, "https://127.0.0.1:6443");
    const headers = await access.authHeaders();
    assert.equal(
      Object.entries(headers).find(([k]) => k.toLowerCase() === "authorization")?.[1],
      `Basic ${Buffer.from("admin:secret").toString("base64")}`,
    );
  });
});
