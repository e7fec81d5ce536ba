/**
 * Topology files (fixtures/topologies/*.json|yaml): either explicit sites or generator parameters,
 * plus the topology rule. A bad file fails with its path and the offending field.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { z } from "zod";
import { Name, WanLink } from "../../../contract/patronus-api/v1.ts";
import { HarnessError } from "../../errors.ts";
import { describeZodError } from "../api/validation.ts";
import {
  generateWorld,
  TopologySpec,
  type World,
  WorldParamsShape,
  withWorldChecks,
  worldFromSites,
} from "../model/world.ts";

const ExplicitSite = z.strictObject({
  name: Name,
  region: Name,
  hub: z.boolean().default(false),
  links: z
    .array(WanLink)
    .min(1)
    .max(3)
    .refine((links) => new Set(links.map((l) => l.name)).size === links.length, "link names must be unique"),
});

export const TopologyFile = z.union([
  z.strictObject({
    name: Name,
    description: z.string().optional(),
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    topology: TopologySpec,
    sites: z
      .array(ExplicitSite)
      .min(1)
      .refine((s) => new Set(s.map((x) => x.name)).size === s.length, "site names must be unique"),
  }),
  z.strictObject({
    name: Name,
    description: z.string().optional(),
    generate: withWorldChecks(WorldParamsShape.omit({ topology: true })),
    topology: TopologySpec,
  }),
]);
export type TopologyFile = z.output<typeof TopologyFile>;

export function worldFromTopologyFile(file: TopologyFile, seedOverride?: number): World {
  if ("generate" in file) {
    return generateWorld({
      ...file.generate,
      ...(seedOverride === undefined ? {} : { seed: seedOverride }),
      topology: file.topology,
    });
  }
  return worldFromSites(file.sites, file.topology, seedOverride ?? file.seed);
}

export async function loadTopologyFile(path: string): Promise<TopologyFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new HarnessError(`cannot read topology file ${path}: ${(err as Error).message}`, {
      fix: "pass an existing file, e.g. fixtures/topologies/small.yaml",
    });
  }
  let raw: unknown;
  try {
    // yaml is loaded only for YAML files: the long-running simulator should not carry it otherwise.
    raw = extname(path) === ".json" ? JSON.parse(text) : (await import("yaml")).parse(text);
  } catch (err) {
    throw new HarnessError(
      `topology file ${path} is not valid ${extname(path) === ".json" ? "JSON" : "YAML"}: ${(err as Error).message}`,
    );
  }
  const parsed = TopologyFile.safeParse(raw);
  if (!parsed.success) {
    const { field, message } = describeZodError(parsed.error);
    throw new HarnessError(`topology file ${path}: ${field}: ${message}`, {
      fix: "see harness/mesh/README.md for the topology file format",
    });
  }
  return parsed.data;
}
