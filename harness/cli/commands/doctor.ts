/** `patronus-bench doctor`: checks prerequisites and says how to fix each. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { locateBinaries, requireBinaries } from "../../cluster/embedded/binaries.ts";
import { HarnessError } from "../../errors.ts";

interface Check {
  name: string;
  /** Required checks fail the command; optional ones only enable some features. */
  required: boolean;
  run(): { ok: boolean; detail: string; fix?: string };
}

function version(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 10_000 });
  if (r.error || r.status !== 0) return undefined;
  return `${r.stdout}${r.stderr}`.trim().split("\n")[0];
}

const CHECKS: Check[] = [
  {
    name: "Node.js 24",
    required: true,
    run: () => {
      const major = Number(process.versions.node.split(".")[0]);
      return major >= 24
        ? { ok: true, detail: process.version }
        : {
            ok: false,
            detail: process.version,
            fix: "run through npm scripts or `npm install` (node@24 is a devDependency)",
          };
    },
  },
  {
    name: "control-plane binaries",
    required: true,
    run: () => {
      try {
        if (locateBinaries().missing.length > 0) throw new HarnessError("not built yet");
        const b = requireBinaries();
        return {
          ok: true,
          detail: `kubernetes ${b.versions["kube-apiserver"]}, etcd ${b.versions.etcd} (${b.source})`,
        };
      } catch (err) {
        const fix =
          err instanceof HarnessError && err.fix ? err.fix : "run `patronus-bench controlplane build`";
        return { ok: false, detail: (err as Error).message, fix };
      }
    },
  },
  {
    name: "Go (to build the control plane)",
    required: false,
    run: () => {
      const v = version("go", ["version"]);
      return v
        ? { ok: true, detail: v }
        : { ok: false, detail: "not found", fix: "install Go 1.26+, or set KUBEBUILDER_ASSETS" };
    },
  },
  {
    name: "Docker engine (container runtime, kind)",
    required: false,
    run: () => {
      const v = version("docker", ["info", "--format", "{{.ServerVersion}}"]);
      return v
        ? { ok: true, detail: `server ${v}` }
        : { ok: false, detail: "no engine answers", fix: "apt-get install docker.io && dockerd &" };
    },
  },
  {
    name: "kind",
    required: false,
    run: () => {
      const v = version("kind", ["version"]);
      return v
        ? { ok: true, detail: v }
        : { ok: false, detail: "not found", fix: "go install sigs.k8s.io/kind@v0.33.0" };
    },
  },
  {
    name: "Chromium (HTML report test)",
    required: false,
    run: () =>
      existsSync("/usr/bin/chromium")
        ? { ok: true, detail: "/usr/bin/chromium" }
        : { ok: false, detail: "not found", fix: "apt-get install chromium" },
  },
  {
    name: "DejaVu fonts (PNG charts)",
    required: false,
    run: () =>
      existsSync("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        ? { ok: true, detail: "fonts-dejavu-core" }
        : { ok: false, detail: "not found", fix: "apt-get install fonts-dejavu-core" },
  },
  {
    name: "promtool (metrics lint)",
    required: false,
    run: () => {
      const v = version("promtool", ["--version"]);
      return v
        ? { ok: true, detail: v }
        : { ok: false, detail: "not found", fix: "apt-get install prometheus" };
    },
  },
];

export function register(program: Command): void {
  program
    .command("doctor")
    .description(
      "check prerequisites (Node, Go, control-plane binaries, Docker, kind, Chromium, fonts) and how to fix each",
    )
    .action(() => {
      let failed = 0;
      for (const check of CHECKS) {
        const r = check.run();
        const mark = r.ok ? "✓" : check.required ? "✗" : "–";
        console.log(`${mark} ${check.name}: ${r.detail}${r.ok || !r.fix ? "" : `\n    fix: ${r.fix}`}`);
        if (!r.ok && check.required) failed++;
      }
      if (failed > 0) throw new HarnessError(`${failed} required prerequisite(s) missing (see above)`);
    });
}
