/**
 * `patronus-bench operator build <name|path>`: builds an operator under test from its source (or
 * finds the build in the cache) and prints the artifact and digest — CI runs it to cache the
 * cold build apart from the benchmarks. `operator check` tries its CRDs, RBAC and templates on
 * the embedded control plane without starting it.
 */
import type { Command } from "commander";

export function register(program: Command): void {
  const operator = program.command("operator").description("Operators under test: build them ahead of a run");
  operator
    .command("build")
    .description("Build an operator from its source directory, or reuse the cached build of the same sources")
    .argument("<operator>", "a built-in operator name (see `list`) or an operator definition file")
    .option("--operator-source <dir>", "the source directory to build from")
    .option("--json", "print the artifact as JSON")
    .addHelpText(
      "after",
      "\nPrints the artifact's path and the digest of its inputs; a second build of the same sources is a cache hit.\n" +
        "Example:\n  patronus-bench operator build patronus-rs --operator-source ../shared/upstream/patronus-operator",
    )
    .action(async (ref: string, o: { operatorSource?: string; json?: boolean }) => {
      const { HarnessError } = await import("../../errors.ts");
      const { resolveOperator } = await import("../../operators/load.ts");
      const loaded = await resolveOperator(ref, {
        ...(o.operatorSource ? { source: o.operatorSource } : {}),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const artifact = loaded.artifact;
      if (!artifact)
        throw new HarnessError(`operator ${loaded.definition.name} has no build: it runs as it is`, {
          fix: "`operator build` applies to operators built from source (see `patronus-bench list`)",
        });
      if (o.json) {
        console.log(JSON.stringify({ name: loaded.definition.name, ...artifact }, null, 2));
        return;
      }
      console.log(`artifact: ${artifact.path}`);
      for (const [name, path] of Object.entries(artifact.extra)) console.log(`${name}: ${path}`);
      console.log(`digest: ${artifact.digest}`);
      console.log(`source: ${artifact.sourceDir}`);
    });
  operator
    .command("check")
    .description(
      "Install an operator's CRDs and RBAC on the embedded control plane and create and update an object of every " +
        "kind it templates, checking the apiserver keeps the spec whole (the operator itself is not started)",
    )
    .argument("<operator>", "a built-in operator name (see `list`) or an operator definition file")
    .option("--operator-source <dir>", "the source directory to build from, for operators with a build")
    .action(async (ref: string, o: { operatorSource?: string }) => {
      const { resolveOperator } = await import("../../operators/load.ts");
      const { checkOperator } = await import("../../operators/check.ts");
      const log = (line: string) => process.stderr.write(`  ${line}\n`);
      const loaded = await resolveOperator(ref, {
        ...(o.operatorSource ? { source: o.operatorSource } : {}),
        log,
      });
      for (const line of await checkOperator(loaded, log)) console.log(line);
      console.log(`operator ${loaded.definition.name}: OK`);
    });
}
