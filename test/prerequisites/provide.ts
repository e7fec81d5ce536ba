/**
 * `npm test`'s pretest: provides what the tests need when it can, saying so as it goes — the
 * Debian packages when it runs as root, a Docker engine, and kind and actionlint through the Go
 * module proxy — then lists what is still missing. Tests that need a missing prerequisite are not
 * run and are named in the closing summary; with CI=true a missing prerequisite fails here.
 * `--check` only reports.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import {
  ACTIONLINT_VERSION,
  DEBIAN_PACKAGES,
  HELM_VERSION,
  onPath,
  PREREQUISITES,
  REPO_ROOT,
  strict,
  unavailable,
  upstreamOperatorSource,
} from "./prerequisites.ts";

const say = (line: string) => console.log(`test setup: ${line}`);

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  const r = spawnSync(command, args, {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...env },
  });
  return r.status === 0;
}

function missingDebianPackages(): string[] {
  return DEBIAN_PACKAGES.filter((p) => {
    // dpkg-query's own format syntax, not a template string.
    const r = spawnSync("dpkg-query", ["-W", `-f=${"$"}{Status}`, p], { encoding: "utf8" });
    return !(r.status === 0 && r.stdout.includes("install ok installed"));
  });
}

function provideDebianPackages(): void {
  if (!onPath("dpkg-query") || !onPath("apt-get")) return;
  const missing = missingDebianPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    say(`not root: cannot install the Debian packages ${missing.join(" ")}`);
    return;
  }
  say(`installing Debian packages: ${missing.join(" ")}`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (
    !run("apt-get", ["update", "-qq"], env) ||
    !run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], env)
  )
    say("apt-get failed; the tests that need these packages will not run");
}

function provideDocker(): void {
  if (PREREQUISITES.docker.missing() !== undefined) return;
  const answers = spawnSync("docker", ["version", "--format", "{{.Server.Version}}"], {
    encoding: "utf8",
    timeout: 10_000,
  });
  if (answers.status === 0) return;
  if (process.getuid?.() !== 0) return;
  say("starting a Docker engine (ci/container/ensure-dockerd.sh)");
  if (!run(join(REPO_ROOT, "ci", "container", "ensure-dockerd.sh"), []))
    say("dockerd did not start; see its log");
}

function provideGoTools(): void {
  if (!onPath("go")) return;
  if (PREREQUISITES.actionlint.missing() !== undefined) {
    say(`installing actionlint ${ACTIONLINT_VERSION} (go install)`);
    run("go", ["install", `github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}`]);
  }
  if (PREREQUISITES.helm.missing() !== undefined) {
    say(`building helm ${HELM_VERSION} (go install; a few minutes cold)`);
    run("go", ["install", `helm.sh/helm/v4/cmd/helm@${HELM_VERSION}`]);
  }
  if (!onPath("kind")) {
    const r = spawnSync("go", ["env", "GOPATH"], { encoding: "utf8" });
    if (!onPath("kind", [join(r.stdout.trim(), "bin")])) {
      say("building kind (ci/kind/install-kind.sh)");
      run(join(REPO_ROOT, "ci", "kind", "install-kind.sh"), []);
    }
  }
}

/**
 * The upstream operator's binary, built once per source digest into the harness's cache (cold:
 * a quarter of an hour on 2 cores; then a cache hit in a second). Its progress shows as it goes.
 */
function provideUpstreamOperator(): void {
  if (PREREQUISITES["patronus-rs"].missing() !== undefined) return;
  say(`building (or reusing) the upstream operator from ${upstreamOperatorSource()}`);
  const r = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, "harness", "cli", "main.ts"),
      "operator",
      "build",
      "patronus-rs",
      "--operator-source",
      upstreamOperatorSource(),
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (r.status !== 0) say("the upstream operator did not build; the tests that run it will fail");
}

if (import.meta.main) {
  if (!process.argv.includes("--check")) {
    provideDebianPackages();
    provideDocker();
    provideGoTools();
    provideUpstreamOperator();
  }
  const missing = unavailable();
  for (const m of missing) say(`missing ${m.prerequisite.what}: ${m.reason} — fix: ${m.prerequisite.fix}`);
  if (missing.length > 0 && strict()) {
    console.error("test setup: CI=true allows no test to be left out; provide the above and run again");
    process.exit(1);
  }
  if (missing.length > 0) say("the tests that need these will not run; the closing summary names them");
}
