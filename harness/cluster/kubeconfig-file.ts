/** Writes kubeconfig files: admin (client certificate) and ServiceAccount (bearer token). */
import { writeFile } from "node:fs/promises";
import { stringify } from "yaml";

export interface KubeconfigCredentials {
  server: string;
  caPem: string;
  user: { clientCertPem: string; clientKeyPem: string } | { token: string };
  name: string;
}

export async function writeKubeconfig(path: string, c: KubeconfigCredentials): Promise<void> {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const user =
    "token" in c.user
      ? { token: c.user.token }
      : { "client-certificate-data": b64(c.user.clientCertPem), "client-key-data": b64(c.user.clientKeyPem) };
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: "patronus-bench", cluster: { server: c.server, "certificate-authority-data": b64(c.caPem) } },
    ],
    users: [{ name: c.name, user }],
    contexts: [{ name: c.name, context: { cluster: "patronus-bench", user: c.name } }],
    "current-context": c.name,
  };
  await writeFile(path, stringify(doc), { mode: 0o600 });
}
