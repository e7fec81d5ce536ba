/**
 * The V8 CPU profile format (Profiler.stop's result, the `.cpuprofile` file Chrome DevTools and
 * speedscope open): a call tree of nodes with call frames, and the sampled leaf node per tick.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { HarnessError } from "../../errors.ts";
import { describeIssues } from "../../scenario/issues.ts";

export const CallFrameSchema = z.object({
  functionName: z.string(),
  scriptId: z.union([z.string(), z.number()]),
  url: z.string(),
  lineNumber: z.number().int(),
  columnNumber: z.number().int(),
});

export const CpuProfileNodeSchema = z.object({
  id: z.number().int(),
  callFrame: CallFrameSchema,
  hitCount: z.number().int().nonnegative().optional(),
  children: z.array(z.number().int()).optional(),
});

export const CpuProfileSchema = z.object({
  nodes: z.array(CpuProfileNodeSchema).min(1),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number().int()).optional(),
  timeDeltas: z.array(z.number()).optional(),
});

export type CallFrame = z.infer<typeof CallFrameSchema>;
export type CpuProfileNode = z.infer<typeof CpuProfileNodeSchema>;
export type CpuProfile = z.infer<typeof CpuProfileSchema>;

export function parseCpuProfile(input: unknown, source: string): CpuProfile {
  const parsed = CpuProfileSchema.safeParse(input);
  if (!parsed.success) {
    throw new HarnessError(`${source} is not a V8 CPU profile: ${describeIssues(parsed.error, input)}`, {
      fix: "pass a .cpuprofile written by Chrome DevTools, `node --cpu-prof` or `patronus-bench profile`",
    });
  }
  return parsed.data;
}

export async function readCpuProfile(path: string): Promise<CpuProfile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new HarnessError(`cannot read CPU profile ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HarnessError(`CPU profile ${path} is not JSON: ${(err as Error).message}`);
  }
  return parseCpuProfile(json, path);
}
