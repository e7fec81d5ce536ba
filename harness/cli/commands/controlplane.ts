/** `patronus-bench controlplane build|ensure|where`: the control-plane binaries. */
import type { Command } from "commander";

const binaries = () => import("../../cluster/embedded/binaries.ts");
const builder = () => import("../../cluster/embedded/build.ts");

export function register(program: Command): void {
  const cp = program
    .command("controlplane")
    .description("build or locate the etcd, kube-apiserver and kube-controller-manager binaries");
  cp.command("build")
    .description("build the pinned control plane from Go modules into the cache (minutes, once)")
    .option("--force", "rebuild even when the cache is complete")
    .action(async (opts: { force?: boolean }) => {
      const r = await (await builder()).buildControlPlane({ force: opts.force });
      if (r.seconds === 0) console.log(`control plane already cached in ${r.dir} (use --force to rebuild)`);
    });
  cp.command("ensure")
    .description("build the control plane only when no binaries are found (honours KUBEBUILDER_ASSETS)")
    .action(async () => {
      const { locateBinaries, requireBinaries } = await binaries();
      if (locateBinaries().missing.length > 0) await (await builder()).buildControlPlane();
      const b = requireBinaries();
      console.log(
        `control plane ready (${b.source}): kubernetes ${b.versions["kube-apiserver"]}, etcd ${b.versions.etcd}`,
      );
    });
  cp.command("where")
    .description("print where each binary is found")
    .action(async () => {
      const b = (await binaries()).requireBinaries();
      for (const [c, p] of Object.entries(b.paths))
        console.log(`${c}\t${b.versions[c as keyof typeof b.versions]}\t${p}`);
    });
}
