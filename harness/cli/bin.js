#!/usr/bin/env node
// The package bin. The harness is TypeScript run by Node 24's type stripping; an older `node`
// on PATH (e.g. a global npx) re-executes with the project's own Node 24 from node_modules.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, "main.ts");
const major = Number(process.versions.node.split(".")[0]);
if (major >= 24) {
  // main.ts runs itself only as the entry module; imported from here it must be called.
  const cli = await import(main);
  process.exitCode = await cli.main(process.argv.slice(2));
} else {
  const local = join(here, "..", "..", "node_modules", "node", "bin", "node");
  if (!existsSync(local)) {
    console.error(
      `patronus-bench needs Node 24 (found ${process.version}) — fix: run \`npm install\` in the project`,
    );
    process.exit(1);
  }
  const r = spawnSync(local, [main, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
