/**
 * The image of an operator that brings its own (its definition's `image`, other than the project
 * image): built by the definition's `image.build` from the artifact the harness built, labelled
 * with that artifact's source digest and rebuilt only when the label differs — so results.json
 * never attributes another build's figures to this source. An operator without a build must
 * have its image in the engine already.
 */
import { execa } from "execa";
import { HarnessError } from "../../errors.ts";
import { artifactValues } from "../../operators/crds.ts";
import type { LoadedOperator } from "../../operators/definition.ts";
import { fillPlaceholders } from "../../operators/placeholders.ts";
import { REPO_ROOT } from "../../paths.ts";
import { DEFAULT_IMAGE } from "../../scenario/runtime.ts";
import type { ImageRecord } from "./current.ts";
import { SOURCE_DIGEST_LABEL } from "./source-digest.ts";

/** Whether the operator runs in the project image (the reference operator and definitions built on it). */
export function usesProjectImage(loaded: LoadedOperator): boolean {
  return loaded.definition.image?.name === DEFAULT_IMAGE;
}

async function inspect(reference: string): Promise<{ id: string; label: string } | undefined> {
  const r = await execa(
    "docker",
    ["image", "inspect", "-f", `{{.Id}} {{index .Config.Labels "${SOURCE_DIGEST_LABEL}"}}`, reference],
    { reject: false, timeout: 20_000 },
  );
  if (r.exitCode !== 0) return undefined;
  const [id = "", label = ""] = r.stdout.trim().split(" ");
  return { id, label: label === "<no value>" ? "" : label };
}

export async function ensureOperatorImage(
  loaded: LoadedOperator,
  log: (line: string) => void,
): Promise<ImageRecord> {
  const def = loaded.definition;
  const spec = def.image;
  if (!spec) throw new HarnessError(`operator ${def.name} has no image`);
  const reference = spec.name;
  const found = await inspect(reference);
  if (!loaded.artifact) {
    if (!found)
      throw new HarnessError(`image ${reference} of operator ${def.name} is not in the Docker engine`, {
        fix: spec.build ? `build it: ${spec.build.join(" ")} ${reference}` : `build or load ${reference}`,
      });
    return { reference, id: found.id, sourceDigest: found.label };
  }
  const digest = `sha256:${loaded.artifact.digest}`;
  if (found?.label === digest) return { reference, id: found.id, sourceDigest: digest };
  if (!spec.build)
    throw new HarnessError(
      `image ${reference} does not hold operator ${def.name} built from this source (digest ${digest.slice(0, 19)})`,
      { fix: `rebuild ${reference} from ${loaded.artifact.path}, labelled ${SOURCE_DIGEST_LABEL}=${digest}` },
    );
  const argv = [...spec.build.map((s) => fillPlaceholders(s, artifactValues(loaded))), reference];
  const [file, ...args] = argv as [string, ...string[]];
  log(`building image ${reference} of operator ${def.name} (${digest.slice(0, 19)})`);
  const r = await execa(file, args, {
    cwd: REPO_ROOT,
    reject: false,
    all: true,
    env: { IMAGE_SOURCE_DIGEST: digest },
    timeout: 600_000,
  });
  const built = r.exitCode === 0 ? await inspect(reference) : undefined;
  if (!built || built.label !== digest)
    throw new HarnessError(
      `building image ${reference} of operator ${def.name} failed (${argv.join(" ")}, exit ${r.exitCode}):\n${(r.all ?? "").slice(-2000)}`,
      { fix: "start a Docker engine (ci/container/ensure-dockerd.sh) and see the output above" },
    );
  log(`image ${reference} built`);
  return { reference, id: built.id, sourceDigest: digest };
}
