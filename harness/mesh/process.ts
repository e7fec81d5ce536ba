/**
 * The simulator as a long-running process: token from a file (created 0600 when absent), one
 * "ready" line on stdout with the URL, a clean stop on SIGINT/SIGTERM.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { HarnessError } from "../errors.ts";
import { type MeshSimulator, resolveOptions, startMeshSimulator } from "./index.ts";
import type { MeshSimulatorOptions } from "./options.ts";

export const READY_PREFIX = "mesh simulator ready at ";

export async function readOrCreateToken(file: string): Promise<string> {
  let text: string | undefined;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new HarnessError(`cannot read token file ${file}: ${(err as Error).message}`);
    }
  }
  if (text !== undefined) {
    const token = text.trim();
    if (token.length < 16 || /\s/.test(token)) {
      throw new HarnessError(
        `token file ${file} must hold one token of at least 16 characters, without spaces`,
        {
          fix: "delete the file to have a new token generated",
        },
      );
    }
    return token;
  }
  const token = randomBytes(24).toString("base64url");
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${token}\n`, { mode: 0o600 });
  await rename(tmp, file);
  return token;
}

export async function runMeshProcess(options: MeshSimulatorOptions, tokenFile: string): Promise<void> {
  await resolveOptions(options); // fail on bad flags before creating a token file
  const token = await readOrCreateToken(tokenFile);
  const sim: MeshSimulator = await startMeshSimulator({ ...options, token });
  const s = sim.simulation;
  // The token is deliberately absent from this line: it lives in the token file only.
  console.log(
    `${READY_PREFIX}${sim.url} (sites ${s.sites.size}/${sim.world.sites.length} registered, ${s.tunnels.modeledSize} tunnels modelled, tick ${s.options.tickMs} ms, token in ${tokenFile})`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      console.log(`mesh simulator stopping (${signal})`);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await sim.stop();
}
