/**
 * The certificates an embedded cluster needs, made fresh per run: a CA, the apiserver's serving
 * certificate, an admin client certificate in system:masters, and the service-account signing
 * key pair. ECDSA P-256 keeps generation in milliseconds (RSA would cost seconds on 2 cores).
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface PkiFiles {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  saKey: string;
  saPub: string;
  /** PEM contents, for kubeconfigs and HTTPS clients. */
  pem: { ca: string; adminCert: string; adminKey: string };
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

async function spkiPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("spki", key);
  return x509.PemConverter.encode(der, "PUBLIC KEY");
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(12))).toString("hex");
}

export async function createPki(dir: string): Promise<PkiFiles> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + YEAR_MS);

  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: "CN=patronus-bench-ca",
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const leaf = async (subject: string, usage: "server" | "client", sans: x509.JsonGeneralName[] = []) => {
    const keys = await keyPair();
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension(
        [usage === "server" ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth],
        false,
      ),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
    ];
    if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans, false));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: ca.subject,
      notBefore,
      notAfter,
      signingKey: caKeys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: ALG,
      extensions,
    });
    return { cert: cert.toString("pem"), key: await pkcs8Pem(keys.privateKey) };
  };

  const serving = await leaf("CN=kube-apiserver", "server", [
    { type: "ip", value: "127.0.0.1" },
    { type: "dns", value: "localhost" },
    { type: "dns", value: "kubernetes" },
    { type: "dns", value: "kubernetes.default" },
    { type: "dns", value: "kubernetes.default.svc" },
    { type: "ip", value: "10.0.0.1" },
  ]);
  const admin = await leaf("CN=patronus-bench-admin, O=system:masters", "client");
  const saKeys = await keyPair();

  const files: PkiFiles = {
    dir,
    caCert: join(dir, "ca.crt"),
    caKey: join(dir, "ca.key"),
    servingCert: join(dir, "apiserver.crt"),
    servingKey: join(dir, "apiserver.key"),
    adminCert: join(dir, "admin.crt"),
    adminKey: join(dir, "admin.key"),
    saKey: join(dir, "sa.key"),
    saPub: join(dir, "sa.pub"),
    pem: { ca: ca.toString("pem"), adminCert: admin.cert, adminKey: admin.key },
  };
  const writes: Array<[string, string]> = [
    [files.caCert, files.pem.ca],
    [files.caKey, await pkcs8Pem(caKeys.privateKey)],
    [files.servingCert, serving.cert],
    [files.servingKey, serving.key],
    [files.adminCert, admin.cert],
    [files.adminKey, admin.key],
    [files.saKey, await pkcs8Pem(saKeys.privateKey)],
    [files.saPub, await spkiPem(saKeys.publicKey)],
  ];
  await Promise.all(writes.map(([path, data]) => writeFile(path, data, { mode: 0o600 })));
  return files;
}
