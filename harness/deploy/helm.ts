/**
 * An operator installed with its own Helm chart (its definition's `image.helmChart`), by a real
 * `helm` binary (PATH, $HELM_BINARY, or $GOPATH/bin where `go install` puts it), as its users
 * install it: `helm upgrade --install` of a release in the operator's namespace with values the
 * harness sets from the scenario, waited for until its pods are Ready, and `helm uninstall`ed
 * with the run.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { stringify } from "yaml";
import { HarnessError } from "../errors.ts";

export const HELM_INSTALL = "go install helm.sh/helm/v4/cmd/helm@v4.3.2 (or any helm v3/v4 on PATH)";

export async function findHelm(): Promise<string> {
  const candidates = [
    process.env.HELM_BINARY,
    "helm",
    join(process.env.GOPATH ?? join(homedir(), "go"), "bin", "helm"),
  ];
  for (const c of candidates) {
    if (!c || (c.includes("/") && !existsSync(c))) continue;
    const r = await execa(c, ["version", "--short"], { reject: false, timeout: 10_000 }).catch(
      () => undefined,
    );
    if (r?.exitCode === 0 && /^v\d/.test(r.stdout.trim())) return c;
  }
  throw new HarnessError("the helm binary was not found (PATH, $HELM_BINARY, $GOPATH/bin)", {
    fix: `install it: ${HELM_INSTALL}`,
  });
}

export interface HelmRelease {
  release: string;
  namespace: string;
  chart: string;
  kubeconfig: string;
  values: Record<string, unknown>;
  /** Where the values file is written (the run directory), so what was installed can be read back. */
  valuesFile: string;
  timeoutMs: number;
}

async function helm(binary: string, args: string[], timeoutMs: number) {
  return execa(binary, args, { reject: false, all: true, timeout: timeoutMs });
}

/** Installs (or upgrades) the release and waits until its workloads are Ready. */
export async function helmInstall(r: HelmRelease, log: (line: string) => void): Promise<void> {
  const binary = await findHelm();
  await writeFile(r.valuesFile, stringify(r.values));
  const args = [
    "upgrade",
    "--install",
    r.release,
    r.chart,
    "--namespace",
    r.namespace,
    "--kubeconfig",
    r.kubeconfig,
    "--values",
    r.valuesFile,
    "--wait",
    "--timeout",
    `${Math.round(r.timeoutMs / 1000)}s`,
  ];
  log(`in-cluster: helm upgrade --install ${r.release} ${r.chart} (values: ${r.valuesFile})`);
  const res = await helm(binary, args, r.timeoutMs + 30_000);
  if (res.exitCode !== 0)
    throw new HarnessError(
      `helm could not install ${r.chart} as ${r.release}:\n${(res.all ?? "").slice(-2000)}`,
      { fix: `kubectl -n ${r.namespace} describe pods; the values the harness set are in ${r.valuesFile}` },
    );
}

export async function helmUninstall(
  r: Pick<HelmRelease, "release" | "namespace" | "kubeconfig">,
): Promise<void> {
  const binary = await findHelm();
  const res = await helm(
    binary,
    [
      "uninstall",
      r.release,
      "--namespace",
      r.namespace,
      "--kubeconfig",
      r.kubeconfig,
      "--ignore-not-found",
      "--wait",
    ],
    120_000,
  );
  if (res.exitCode !== 0)
    throw new HarnessError(`helm uninstall ${r.release} failed:\n${(res.all ?? "").slice(-1000)}`);
}
