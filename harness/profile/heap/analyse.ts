/**
 * Top allocation sites of a V8 sampling heap profile (HeapProfiler.stopSampling, the
 * `.heapprofile` Chrome DevTools opens): bytes allocated per function (sampled, so an estimate),
 * and per module group, using the same grouping as the CPU analysis.
 */
import { z } from "zod";
import { HarnessError } from "../../errors.ts";
import { describeIssues } from "../../scenario/issues.ts";
import { CallFrameSchema } from "../cpu/cpuprofile.ts";
import { classifyFrame, displayPath, type ModuleGroup } from "../cpu/modules.ts";

interface HeapNode {
  callFrame: z.infer<typeof CallFrameSchema>;
  selfSize: number;
  id: number;
  children: HeapNode[];
}

const HeapNodeSchema: z.ZodType<HeapNode> = z.lazy(() =>
  z.object({
    callFrame: CallFrameSchema,
    selfSize: z.number().nonnegative(),
    id: z.number().int(),
    children: z.array(HeapNodeSchema),
  }),
);

export const SamplingHeapProfileSchema = z.object({
  head: HeapNodeSchema,
  samples: z.array(z.object({ size: z.number(), nodeId: z.number().int(), ordinal: z.number() })).optional(),
});
export type SamplingHeapProfile = z.infer<typeof SamplingHeapProfileSchema>;

export interface AllocationSite {
  function: string;
  module: ModuleGroup;
  url: string;
  line: number;
  bytes: number;
  percent: number;
}

export interface HeapAnalysis {
  sampledBytes: number;
  sites: AllocationSite[];
  modules: { module: ModuleGroup; bytes: number; percent: number }[];
}

export function parseHeapProfile(input: unknown, source: string): SamplingHeapProfile {
  const parsed = SamplingHeapProfileSchema.safeParse(input);
  if (!parsed.success)
    throw new HarnessError(
      `${source} is not a sampling heap profile: ${describeIssues(parsed.error, input)}`,
    );
  return parsed.data;
}

export function analyseHeapProfile(profile: SamplingHeapProfile, top = 20): HeapAnalysis {
  const sites = new Map<string, AllocationSite>();
  const modules = new Map<ModuleGroup, number>();
  let total = 0;
  // Iterative walk: allocation stacks can be deep. A builtin inherits its caller's group.
  const stack: { node: HeapNode; parentGroup: ModuleGroup | undefined }[] = [
    { node: profile.head, parentGroup: undefined },
  ];
  while (stack.length > 0) {
    const { node, parentGroup } = stack.pop() as { node: HeapNode; parentGroup: ModuleGroup | undefined };
    const f = node.callFrame;
    let group = classifyFrame(f.functionName, f.url);
    if (group === "v8-builtin" && parentGroup !== undefined && parentGroup !== "program") group = parentGroup;
    if (node.selfSize > 0) {
      total += node.selfSize;
      modules.set(group, (modules.get(group) ?? 0) + node.selfSize);
      const key = `${f.functionName}\u0000${f.url}\u0000${f.lineNumber}`;
      const site = sites.get(key) ?? {
        function:
          f.url === ""
            ? f.functionName || "(anonymous)"
            : `${f.functionName || "(anonymous)"} (${displayPath(f.url)}:${f.lineNumber + 1})`,
        module: group,
        url: f.url === "" ? "" : displayPath(f.url),
        line: f.lineNumber + 1,
        bytes: 0,
        percent: 0,
      };
      site.bytes += node.selfSize;
      sites.set(key, site);
    }
    for (const c of node.children) stack.push({ node: c, parentGroup: group });
  }
  const pct = (n: number) => (total === 0 ? 0 : Math.round((10000 * n) / total) / 100);
  for (const s of sites.values()) s.percent = pct(s.bytes);
  return {
    sampledBytes: total,
    sites: [...sites.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top),
    modules: [...modules.entries()]
      .map(([module, bytes]) => ({ module, bytes, percent: pct(bytes) }))
      .sort((a, b) => b.bytes - a.bytes),
  };
}
