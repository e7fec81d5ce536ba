/**
 * What the tests need beyond Node and the control plane, each with how to tell whether it is
 * here and how it is provided. One list for the whole suite: `npm test`'s pretest provides what
 * it can (provide.ts), a test that needs one declares it (requires.ts), and a test that could not
 * run is named in the closing summary (skipped-reporter.ts) — never skipped silently.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(HERE, "..", "..");

/** The Debian packages the suite needs (also read by .ci/run). */
export const DEBIAN_PACKAGES: readonly string[] = readFileSync(join(HERE, "debian-packages.txt"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

export const ACTIONLINT_VERSION = "v1.7.12";
/** helm for the tests that install an operator with its own chart (built from Go modules). */
export const HELM_VERSION = "v4.3.2";

export function gopathBin(): string {
  const r = spawnSync("go", ["env", "GOPATH"], { encoding: "utf8" });
  return join(r.status === 0 && r.stdout.trim() ? r.stdout.trim() : join(homedir(), "go"), "bin");
}

export function onPath(command: string, extraDirs: readonly string[] = []): string | undefined {
  for (const dir of [...(process.env.PATH ?? "").split(delimiter), ...extraDirs]) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const isRoot = () => process.getuid?.() === 0;

export interface Prerequisite {
  id: PrerequisiteId;
  /** What it is, in a few words. */
  what: string;
  /** Undefined when it is here; otherwise why not. */
  missing(): string | undefined;
  /** How to get it by hand. */
  fix: string;
}

export type PrerequisiteId =
  | "fonts"
  | "chromium"
  | "promtool"
  | "prometheus"
  | "ss"
  | "shellcheck"
  | "actionlint"
  | "docker"
  | "kind"
  | "helm"
  | "patronus-rs";

/**
 * The upstream Patronus operator's source (the operator/ folder of a Patronus checkout): where
 * PATRONUS_OPERATOR_SOURCE says, else beside this checkout as this project's machines lay it out.
 */
export function upstreamOperatorSource(): string {
  return (
    process.env.PATRONUS_OPERATOR_SOURCE ?? join(REPO_ROOT, "..", "shared", "upstream", "patronus-operator")
  );
}

export const PREREQUISITES: Record<PrerequisiteId, Prerequisite> = {
  fonts: {
    id: "fonts",
    what: "DejaVu fonts (text in PNG charts)",
    missing: () =>
      existsSync(process.env.PATRONUS_BENCH_FONT ?? "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        ? undefined
        : "DejaVuSans.ttf is not installed",
    fix: "apt-get install -y fonts-dejavu-core",
  },
  chromium: {
    id: "chromium",
    what: "Chromium (headless browser tests)",
    missing: () => (existsSync("/usr/bin/chromium") ? undefined : "/usr/bin/chromium is not installed"),
    fix: "apt-get install -y chromium",
  },
  promtool: {
    id: "promtool",
    what: "promtool (metrics lint)",
    missing: () => (onPath("promtool") ? undefined : "promtool is not on PATH"),
    fix: "apt-get install -y prometheus",
  },
  prometheus: {
    id: "prometheus",
    what: "Prometheus server (remote-write receiver)",
    missing: () => (onPath("prometheus") ? undefined : "prometheus is not on PATH"),
    fix: "apt-get install -y prometheus",
  },
  ss: {
    id: "ss",
    what: "iproute2's ss (the operator's per-socket byte counters)",
    missing: () => (onPath("ss") ? undefined : "ss is not on PATH"),
    fix: "apt-get install -y iproute2",
  },
  shellcheck: {
    id: "shellcheck",
    what: "shellcheck",
    missing: () => (onPath("shellcheck") ? undefined : "shellcheck is not on PATH"),
    fix: "apt-get install -y shellcheck",
  },
  actionlint: {
    id: "actionlint",
    what: "actionlint",
    missing: () => (onPath("actionlint", [gopathBin()]) ? undefined : "actionlint is not installed"),
    fix: `go install github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}`,
  },
  docker: {
    id: "docker",
    what: "a Docker engine",
    missing: () => {
      if (!onPath("docker")) return "the docker CLI is not installed";
      if (existsSync("/var/run/docker.sock") || process.env.DOCKER_HOST) return undefined;
      if (!onPath("dockerd")) return "no Docker engine runs and dockerd is not installed";
      return isRoot() ? undefined : "no Docker engine runs and starting dockerd needs root";
    },
    fix: "apt-get install -y docker.io, then ci/container/ensure-dockerd.sh as root",
  },
  kind: {
    id: "kind",
    what: "kind",
    // ci/kind/install-kind.sh builds it with Go when it is missing.
    missing: () =>
      onPath("kind", [gopathBin()]) || onPath("go") ? undefined : "neither kind nor Go is installed",
    fix: "ci/kind/install-kind.sh (builds kind with Go)",
  },
  helm: {
    id: "helm",
    what: "helm",
    missing: () => (onPath("helm", [gopathBin()]) ? undefined : "helm is not installed"),
    fix: `go install helm.sh/helm/v4/cmd/helm@${HELM_VERSION}`,
  },
  "patronus-rs": {
    id: "patronus-rs",
    what: "the upstream Patronus operator (its source and cargo)",
    missing: () => {
      if (!existsSync(join(upstreamOperatorSource(), "Cargo.toml")))
        return `no operator source at ${upstreamOperatorSource()}`;
      return onPath("cargo") ? undefined : "cargo is not installed";
    },
    fix: "set PATRONUS_OPERATOR_SOURCE to the operator/ folder of a Patronus checkout, and install cargo (rustup)",
  },
};

/** The prerequisites that are not here, with why. */
export function unavailable(ids: readonly PrerequisiteId[] = Object.keys(PREREQUISITES) as PrerequisiteId[]) {
  return ids
    .map((id) => ({ prerequisite: PREREQUISITES[id], reason: PREREQUISITES[id].missing() }))
    .filter((u): u is { prerequisite: Prerequisite; reason: string } => u.reason !== undefined);
}

/** In CI nothing may be left out: a missing prerequisite fails the run instead. */
export const strict = (): boolean => process.env.CI === "true" || process.env.CI === "1";
