/**
 * Builds kube-apiserver, kube-controller-manager and etcd from the pinned Go modules in build/
 * into the per-version cache. Cold: minutes on 2 cores; afterwards Go's build cache and ours make
 * it instant. The binaries are written to a temp dir and renamed into place, so an interrupted
 * build never leaves a half-written cache.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { HarnessError } from "../../errors.ts";
import { BUILD_DIR, type Component, cacheDir, type PinnedVersions, pinnedVersions } from "./binaries.ts";

interface Target {
  component: Component;
  module: "kube" | "etcd";
  pkg: string;
}

const TARGETS: readonly Target[] = [
  { component: "kube-apiserver", module: "kube", pkg: "k8s.io/kubernetes/cmd/kube-apiserver" },
  {
    component: "kube-controller-manager",
    module: "kube",
    pkg: "k8s.io/kubernetes/cmd/kube-controller-manager",
  },
  { component: "etcd", module: "etcd", pkg: "go.etcd.io/etcd/server/v3" },
];

export interface BuildReport {
  dir: string;
  seconds: number;
  versions: PinnedVersions;
}

export interface CacheManifest {
  versions: PinnedVersions;
  builtAt: string;
  buildSeconds: number;
  go: string;
  sizes: Record<Component, number>;
}

function ldflags(v: PinnedVersions): string {
  const [major, minor] = v.kubernetes.replace(/^v/, "").split(".");
  const buildDate = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const stamp = (pkg: string) =>
    [
      `-X ${pkg}.gitVersion=${v.kubernetes}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.buildDate=${buildDate}`,
    ].join(" ");
  return `-s -w ${stamp("k8s.io/component-base/version")} ${stamp("k8s.io/client-go/pkg/version")}`;
}

function goVersion(): string {
  const r = spawnSync("go", ["version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new HarnessError("Go is needed to build the control plane but `go version` failed", {
      fix: "install Go 1.26+ or set KUBEBUILDER_ASSETS to a directory with etcd, kube-apiserver and kube-controller-manager",
    });
  }
  return r.stdout.trim();
}

/** Counts the packages a target compiles, so progress can be shown as a fraction. */
function countPackages(module: string, pkgs: string[]): number {
  const r = spawnSync("go", ["list", "-deps", ...pkgs], {
    cwd: join(BUILD_DIR, module),
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return r.status === 0 ? r.stdout.split("\n").filter(Boolean).length : 0;
}

function runGoBuild(
  module: string,
  pkgs: string[],
  outDir: string,
  v: PinnedVersions,
  log: (s: string) => void,
): Promise<void> {
  const total = countPackages(module, pkgs);
  return new Promise((resolve, reject) => {
    const args = [
      "build",
      "-v",
      "-trimpath",
      "-ldflags",
      module === "kube" ? ldflags(v) : "-s -w",
      "-o",
      // etcd's main package is the module root (…/server/v3), which go would name "v3".
      module === "etcd" ? join(outDir, "etcd") : `${outDir}/`,
      ...pkgs,
    ];
    const child = spawn("go", args, {
      cwd: join(BUILD_DIR, module),
      env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let done = 0;
    let tail = "";
    let lastReport = 0;
    child.stderr.on("data", (buf: Buffer) => {
      const text = buf.toString();
      tail = (tail + text).slice(-3000);
      done += text.split("\n").filter((l) => /^[\w.-]+(\/[\w.@~-]+)*$/.test(l.trim())).length;
      const now = Date.now();
      if (now - lastReport > 5000) {
        lastReport = now;
        log(
          total > 0
            ? `  ${module}: compiled ${Math.min(done, total)}/${total} packages`
            : `  ${module}: compiled ${done} packages`,
        );
      }
    });
    child.on("error", (err) => reject(new HarnessError(`go build failed to start: ${err.message}`)));
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else
        reject(
          new HarnessError(
            `go build of ${pkgs.join(", ")} failed (exit ${code}):\n${tail.trim().split("\n").slice(-12).join("\n")}`,
            {
              fix: "check that the Go module proxy is reachable (GOPROXY) and there is ~3 GiB free disk",
            },
          ),
        );
    });
  });
}

export async function buildControlPlane(
  options: { force?: boolean; log?: (s: string) => void } = {},
): Promise<BuildReport> {
  const log = options.log ?? ((s: string) => console.error(s));
  const versions = pinnedVersions();
  const dir = cacheDir(versions);
  if (!options.force && existsSync(join(dir, "manifest.json"))) return { dir, seconds: 0, versions };

  const go = goVersion();
  const started = performance.now();
  log(
    `building Kubernetes ${versions.kubernetes} (kube-apiserver, kube-controller-manager) and etcd ${versions.etcd} with ${go}`,
  );
  log(
    "  a cold build takes several minutes on 2 cores and downloads ~1 GB of modules; later runs reuse the cache",
  );
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    for (const module of ["kube", "etcd"] as const) {
      const pkgs = TARGETS.filter((t) => t.module === module).map((t) => t.pkg);
      await runGoBuild(module, pkgs, tmp, versions, log);
    }
    const seconds = (performance.now() - started) / 1000;
    const { statSync } = await import("node:fs");
    const sizes = Object.fromEntries(
      TARGETS.map((t) => [t.component, statSync(join(tmp, t.component)).size]),
    ) as Record<Component, number>;
    const manifest: CacheManifest = {
      versions,
      builtAt: new Date().toISOString(),
      buildSeconds: seconds,
      go,
      sizes,
    };
    await writeFile(join(tmp, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await mkdir(dirname(dir), { recursive: true });
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    log(`control plane built in ${seconds.toFixed(1)}s → ${dir}`);
    return { dir, seconds, versions };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
