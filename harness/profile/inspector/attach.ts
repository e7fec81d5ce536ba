/**
 * Opens the inspector of an already running Node process from outside, only when the profiling
 * window starts: SIGUSR1 makes Node start its inspector (on the port given by --inspect-port,
 * 0 = any free port), and the process prints `Debugger listening on ws://…` to its stderr, which
 * the harness has sent to the process's log file. Start-up is therefore never profiled and a
 * process that is not profiled has no open debug port.
 */
import { open, stat } from "node:fs/promises";
import { HarnessError } from "../../errors.ts";
import { isAlive } from "../../process/supervisor.ts";
import { CdpSession } from "./cdp.ts";

export interface InspectTarget {
  /** For messages: e.g. "operator leader operator-0-0". */
  name: string;
  pid: number;
  /** The file the process's stderr goes to. */
  logFile: string;
}

/** Added to NODE_OPTIONS of the processes a profiled run starts: inert until SIGUSR1. */
export const INSPECT_PORT_OPTION = "--inspect-port=127.0.0.1:0";

const LISTENING = /Debugger listening on (ws:\/\/\S+)/;
const FAILED = /Starting inspector on (\S+) failed: ([^\n]*)/;

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function readFrom(path: string, offset: number): Promise<string> {
  const fh = await open(path, "r").catch(() => undefined);
  if (!fh) return "";
  try {
    const { size } = await fh.stat();
    if (size <= offset) return "";
    const buf = Buffer.alloc(size - offset);
    await fh.read(buf, 0, buf.length, offset);
    return buf.toString("utf8");
  } finally {
    await fh.close();
  }
}

export async function attachInspector(target: InspectTarget, timeoutMs = 10_000): Promise<CdpSession> {
  const offset = await fileSize(target.logFile);
  if (!isAlive(target.pid)) throw new HarnessError(`${target.name} (pid ${target.pid}) is not running`);
  process.kill(target.pid, "SIGUSR1");
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const text = await readFrom(target.logFile, offset);
    const url = LISTENING.exec(text)?.[1];
    if (url) return CdpSession.connect(url);
    const failed = FAILED.exec(text);
    if (failed) {
      throw new HarnessError(
        `${target.name} (pid ${target.pid}) could not open its inspector on ${failed[1]}: ${failed[2]}`,
      );
    }
    if (!isAlive(target.pid))
      throw new HarnessError(`${target.name} (pid ${target.pid}) exited while its inspector was opening`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new HarnessError(
    `${target.name} (pid ${target.pid}) did not open its inspector within ${timeoutMs} ms`,
    { fix: `check ${target.logFile}; the process must not run with --disable-sigusr1` },
  );
}

/**
 * Closes the target's inspector port again once the window is over. inspector.close() waits for
 * connected sessions to go, so it is scheduled inside the target and our session leaves first.
 */
export async function detachInspector(session: CdpSession): Promise<void> {
  if (session.isOpen) {
    await session
      .send(
        "Runtime.evaluate",
        {
          expression: "setTimeout(() => process.getBuiltinModule('node:inspector').close(), 200).unref(); 0",
        },
        3000,
      )
      .catch(() => {});
  }
  await session.close();
}
