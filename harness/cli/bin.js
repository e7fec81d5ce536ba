#!/usr/bin/env node
// The package bin. The harness is TypeScript run by Node 24's type stripping; an older `node`
// on PATH (e.g. a global npx) re-executes with the project's own Node 24 from node_modules.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
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
  reexec(local, [main, ...process.argv.slice(2)]);
}

/**
 * The Node 24 child runs in its own process group so that each signal reaches it exactly once,
 * forwarded from here: a terminal's Ctrl-C (sent to the foreground group), a `kill` of this pid
 * and a signal to this group alike. The CLI reads a second SIGINT as "stop at once", so the
 * child must not get the terminal's copy and a forwarded one.
 */
function reexec(node, args) {
  const child = spawn(node, args, { stdio: "inherit", detached: true });
  const forward = (signal) => child.kill(signal);
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, forward);
  child.on("error", (err) => {
    console.error(`patronus-bench: cannot start ${node}: ${err.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    for (const s of signals) process.off(s, forward);
    process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
  });
}
