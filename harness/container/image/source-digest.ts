/**
 * A digest of what decides the image's behaviour: the Dockerfile, package-lock.json and every
 * repository file the two entry points load. build-image.sh labels the image with it and skips
 * a build whose label already matches; the container runtime refuses an image whose label does
 * not match the checkout, so results.json never attributes an older operator's figures to the
 * current commit.
 *   node harness/container/image/source-digest.ts   → sha256:<hex>
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT } from "../../paths.ts";
import { imageSources } from "./dependencies.ts";

export const SOURCE_DIGEST_LABEL = "io.patronus-bench.source-digest";

export function imageSourceDigest(): string {
  const hash = createHash("sha256");
  const files = [
    join(REPO_ROOT, "Dockerfile"),
    join(REPO_ROOT, "package-lock.json"),
    ...imageSources().files,
  ];
  for (const file of files) {
    // Path and length first, so moving bytes between files changes the digest.
    const content = readFileSync(file);
    hash.update(`${relative(REPO_ROOT, file)}\0${content.length}\0`);
    hash.update(content);
  }
  return `sha256:${hash.digest("hex")}`;
}

if (import.meta.main) process.stdout.write(`${imageSourceDigest()}\n`);
