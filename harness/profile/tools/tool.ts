/**
 * The contract between the window profiler and a profiling tool: start when the window opens,
 * stop when it closes and hand back what goes into results.json `profile` and the artifact files.
 */
import type { HotPath } from "../../results/schema.ts";
import type { CdpSession } from "../inspector/cdp.ts";
import type { LeaderTarget } from "../target/leader.ts";

export const TOOL_NAMES = ["cpu", "heap", "flame", "doctor"] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export interface WindowTarget {
  target: LeaderTarget;
  /** Present for the tools that need the inspector. */
  session: CdpSession | undefined;
  /** Where artifacts go (the run's output directory). */
  dir: string;
  /** Seconds since the run started. */
  now(): number;
}

export interface ToolResult {
  /** Merged into results.json `profile`. */
  profile: Record<string, unknown>;
  hotPaths?: HotPath[];
  /** Files written, relative to the output directory. */
  artifacts: string[];
  /** What the console summary shows. */
  lines: string[];
}

export interface ProfilerTool {
  readonly name: ToolName;
  readonly needsInspector: boolean;
  start(w: WindowTarget): Promise<void>;
  stop(w: WindowTarget): Promise<ToolResult>;
}
