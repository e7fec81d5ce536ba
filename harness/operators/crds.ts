/**
 * The CRDs an operator serves, as objects to apply: read from the definition's files, or printed
 * by its command (e.g. a generator built with the operator, so the CRDs match the types it reads).
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { execa } from "execa";
import { parseAllDocuments } from "yaml";
import { HarnessError } from "../errors.ts";
import { REPO_ROOT } from "../paths.ts";
import type { LoadedOperator, Placeholder } from "./definition.ts";
import { fillPlaceholders } from "./placeholders.ts";

/** The placeholders a loaded operator fills by itself (before any replica has ports or a kubeconfig). */
export function artifactValues(loaded: LoadedOperator): Partial<Record<Placeholder, string>> {
  return {
    repoRoot: REPO_ROOT,
    node: process.execPath,
    ...(loaded.artifact
      ? {
          binary: loaded.artifact.path,
          artifactDir: loaded.artifact.dir,
          sourceDir: loaded.artifact.sourceDir,
        }
      : {}),
  };
}

function parseCrds(text: string, source: string): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new HarnessError(`${source}: invalid YAML: ${doc.errors[0]?.message}`);
    const obj = doc.toJS() as KubernetesObject | null;
    if (!obj) continue;
    if (obj.kind !== "CustomResourceDefinition" || !obj.metadata?.name)
      throw new HarnessError(
        `${source}: expected CustomResourceDefinitions, found a ${obj.kind ?? "document without kind"}`,
      );
    out.push(obj);
  }
  if (out.length === 0) throw new HarnessError(`${source}: no CustomResourceDefinition in it`);
  return out;
}

export async function operatorCrds(
  loaded: LoadedOperator,
  values: Partial<Record<Placeholder, string>> = artifactValues(loaded),
): Promise<KubernetesObject[]> {
  const { crds, name } = loaded.definition;
  if ("files" in crds) {
    const { readFile } = await import("node:fs/promises");
    const out: KubernetesObject[] = [];
    for (const f of crds.files) {
      const path = fillPlaceholders(f, values);
      const text = await readFile(path, "utf8").catch((err: Error) => {
        throw new HarnessError(`operator ${name}: cannot read its CRD file ${path}: ${err.message}`);
      });
      out.push(...parseCrds(text, path));
    }
    return out;
  }
  const [file, ...args] = crds.command.map((a) => fillPlaceholders(a, values)) as [string, ...string[]];
  const result = await execa(file, args, { reject: false, timeout: 60_000, stdin: "ignore" });
  if (result.failed)
    throw new HarnessError(
      `operator ${name}: its CRD command ${[file, ...args].join(" ")} failed (${result.exitCode ?? result.signal ?? result.code}): ${String(result.stderr).slice(-500)}`,
    );
  return parseCrds(String(result.stdout), `the output of ${[file, ...args].join(" ")}`);
}
