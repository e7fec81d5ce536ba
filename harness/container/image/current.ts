/**
 * The image a container runtime run will use must exist in the engine and hold the checkout's
 * code (its source-digest label equals the digest of the working tree): otherwise results.json
 * would name this commit while the figures came from another operator. Checked before the
 * cluster starts, so a missing or stale image costs seconds, not a cluster start-up.
 */
import { execa } from "execa";
import { HarnessError } from "../../errors.ts";
import { imageSourceDigest, SOURCE_DIGEST_LABEL } from "./source-digest.ts";

export interface ImageRecord {
  reference: string;
  /** The engine's image ID (sha256:…). */
  id: string;
  sourceDigest: string;
}

export async function requireCurrentImage(reference: string): Promise<ImageRecord> {
  const build = `ci/container/build-image.sh ${reference}`;
  const r = await execa(
    "docker",
    ["image", "inspect", "-f", `{{.Id}} {{index .Config.Labels "${SOURCE_DIGEST_LABEL}"}}`, reference],
    { reject: false, timeout: 20_000 },
  );
  if (r.exitCode !== 0) {
    throw new HarnessError(`image ${reference} is not in the Docker engine (${r.stderr.trim()})`, {
      fix: `build it: ${build} (no registry needed)`,
    });
  }
  const [id = "", label = ""] = r.stdout.trim().split(" ");
  const digest = imageSourceDigest();
  if (label !== digest) {
    throw new HarnessError(
      `image ${reference} does not hold this checkout's operator and simulator (its sources ${label.startsWith("sha256:") ? label.slice(0, 19) : "are unlabelled"}, the checkout's ${digest.slice(0, 19)})`,
      { fix: `rebuild it: ${build}` },
    );
  }
  return { reference, id, sourceDigest: digest };
}
