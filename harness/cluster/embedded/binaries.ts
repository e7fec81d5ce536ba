/**
 * Finds the control-plane binaries, or builds them from the Go modules kept in build/.
 * Order: envtest's conventions first (TEST_ASSET_*, then $KUBEBUILDER_ASSETS/<name>), so users
 * who already have binaries skip the build; then our per-version cache.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HarnessError } from "../../errors.ts";

export type Component = "etcd" | "kube-apiserver" | "kube-controller-manager";
export const COMPONENTS: readonly Component[] = ["etcd", "kube-apiserver", "kube-controller-manager"];

const ENV_VAR: Record<Component, string> = {
  etcd: "TEST_ASSET_ETCD",
  "kube-apiserver": "TEST_ASSET_KUBE_APISERVER",
  "kube-controller-manager": "TEST_ASSET_KUBE_CONTROLLER_MANAGER",
};

export const BUILD_DIR = join(dirname(fileURLToPath(import.meta.url)), "build");

export interface PinnedVersions {
  kubernetes: string;
  etcd: string;
}

/** The pins live in the build modules' go.mod files: one source of truth. */
export function pinnedVersions(): PinnedVersions {
  const kube = readFileSync(join(BUILD_DIR, "kube", "go.mod"), "utf8").match(/k8s\.io\/kubernetes (v\S+)/);
  const etcd = readFileSync(join(BUILD_DIR, "etcd", "go.mod"), "utf8").match(
    /go\.etcd\.io\/etcd\/server\/v3 (v\S+)/,
  );
  if (!kube?.[1] || !etcd?.[1])
    throw new HarnessError(`cannot read the pinned versions from ${BUILD_DIR}/*/go.mod`);
  return { kubernetes: kube[1], etcd: etcd[1] };
}

export function cacheRoot(): string {
  const base =
    process.env.PATRONUS_BENCH_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "patronus-bench");
  return base;
}

export function cacheDir(v: PinnedVersions = pinnedVersions()): string {
  return join(cacheRoot(), "controlplane", `kubernetes-${v.kubernetes}_etcd-${v.etcd}`);
}

export interface BinarySet {
  paths: Record<Component, string>;
  /** Where they came from, for run metadata and `doctor`. */
  source: "env" | "kubebuilder-assets" | "cache";
}

export interface Located {
  found: Partial<Record<Component, { path: string; source: BinarySet["source"] }>>;
  missing: Component[];
}

export function locateBinaries(env: NodeJS.ProcessEnv = process.env): Located {
  const found: Located["found"] = {};
  const missing: Component[] = [];
  const cache = cacheDir();
  for (const c of COMPONENTS) {
    const explicit = env[ENV_VAR[c]];
    if (explicit) {
      if (!existsSync(explicit)) {
        throw new HarnessError(`${ENV_VAR[c]} points at ${explicit}, which does not exist`, {
          fix: `unset ${ENV_VAR[c]} or point it at a ${c} binary`,
        });
      }
      found[c] = { path: explicit, source: "env" };
      continue;
    }
    const assets = env.KUBEBUILDER_ASSETS;
    if (assets && existsSync(join(assets, c))) {
      found[c] = { path: join(assets, c), source: "kubebuilder-assets" };
      continue;
    }
    if (existsSync(join(cache, "manifest.json"))) {
      found[c] = { path: join(cache, c), source: "cache" };
      continue;
    }
    missing.push(c);
  }
  return { found, missing };
}

/** Runs `<binary> --version` so a corrupt or foreign file fails here, with a fix, not mid-run. */
export function probeVersion(component: Component, path: string): string {
  const r = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 15_000 });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status}: ${out.split("\n")[0] ?? ""}`;
    throw new HarnessError(`${component} at ${path} does not run (${why})`, {
      fix: path.startsWith(cacheRoot())
        ? "the cached binary is broken: rebuild it with `patronus-bench controlplane build --force`"
        : `replace ${path} with a working ${component} binary, or unset the variable that points at it`,
    });
  }
  // "Kubernetes v1.37.2" / "etcd Version: 3.6.16"
  const m = out.match(/Kubernetes (v\S+)/) ?? out.match(/etcd Version: (\S+)/);
  return m?.[1] ?? out.split("\n")[0] ?? "unknown";
}

/**
 * A cached binary is checked against the manifest written at build time (size and ELF magic):
 * cheap enough for every start, and it catches truncated or overwritten files.
 */
function verifyCached(component: Component, path: string): string {
  const dir = cacheDir();
  const broken = (why: string) =>
    new HarnessError(`the control-plane cache at ${dir} is corrupt: ${why}`, {
      fix: "rebuild it with `patronus-bench controlplane build --force`",
    });
  let manifest: { versions?: { kubernetes?: string; etcd?: string }; sizes?: Record<string, number> };
  try {
    manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  } catch {
    throw broken("manifest.json is missing or unreadable");
  }
  const st = statSync(path);
  if (st.size !== manifest.sizes?.[component])
    throw broken(`${component} is ${st.size} bytes, expected ${manifest.sizes?.[component]}`);
  const fd = openSync(path, "r");
  const magic = Buffer.alloc(4);
  readSync(fd, magic, 0, 4, 0);
  closeSync(fd);
  if (!magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) || (st.mode & 0o111) === 0) {
    throw broken(`${component} is not an executable ELF file`);
  }
  const v = component === "etcd" ? manifest.versions?.etcd : manifest.versions?.kubernetes;
  return v ?? "unknown";
}

/** Every component located and runnable, or one error saying what is missing and how to get it. */
export function requireBinaries(): BinarySet & { versions: Record<Component, string> } {
  const { found, missing } = locateBinaries();
  if (missing.length > 0) {
    throw new HarnessError(
      `control-plane binaries not found: ${missing.join(", ")} (looked in TEST_ASSET_*, $KUBEBUILDER_ASSETS, ${cacheDir()})`,
      {
        fix: "run `patronus-bench controlplane build` (builds them from Go modules, a few minutes once) or set KUBEBUILDER_ASSETS",
      },
    );
  }
  const paths = Object.fromEntries(COMPONENTS.map((c) => [c, found[c]!.path])) as Record<Component, string>;
  const versions = Object.fromEntries(
    COMPONENTS.map((c) => [
      c,
      found[c]!.source === "cache" ? verifyCached(c, paths[c]) : probeVersion(c, paths[c]),
    ]),
  ) as Record<Component, string>;
  const sources = new Set(COMPONENTS.map((c) => found[c]!.source));
  const source = sources.has("env")
    ? "env"
    : sources.has("kubebuilder-assets")
      ? "kubebuilder-assets"
      : "cache";
  return { paths, source, versions };
}
