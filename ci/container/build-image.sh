#!/usr/bin/env bash
# Builds the operator + mesh simulator image (Dockerfile at the repository root).
#   usage: ci/container/build-image.sh [TAG]          (default patronus-bench:dev)
#   BASE_IMAGE=...  runtime base; default: the distroless image when pullable, else the local base
#                   from ci/container/build-base-image.sh (built on demand).
#   FORCE=1         build even when TAG already holds an image of these sources.
# The image is labelled with the digest of the sources it runs (harness/container/image/source-digest.ts);
# when TAG already carries the current digest nothing is built, and the container runtime refuses
# an image whose digest does not match the checkout.
set -euo pipefail
cd "$(dirname "$0")/../.."
tag="${1:-patronus-bench:dev}"
node=node_modules/.bin/node
deps_root=node_modules/.cache/patronus-bench-image
[[ -x "$node" ]] || { echo "build-image: $node missing — run npm ci" >&2; exit 1; }
docker version >/dev/null 2>&1 || { echo "build-image: no Docker engine — run ci/container/ensure-dockerd.sh" >&2; exit 1; }

# Concurrent builds (parallel test files) share the dependency directory: one at a time.
mkdir -p "$(dirname "$deps_root")"
exec 9>"$deps_root.lock"
flock 9

digest="$("$node" harness/container/image/source-digest.ts)"
label=io.patronus-bench.source-digest
current="$(docker image inspect -f "{{index .Config.Labels \"$label\"}}" "$tag" 2>/dev/null || true)"
if [[ "$current" == "$digest" && "${FORCE:-0}" != 1 ]]; then
  echo "build-image: $tag is current ($digest)"
  exit 0
fi

# Only the packages the two entry points import, at the versions package-lock.json pins.
mapfile -t packages < <("$node" harness/container/image/dependencies.ts)
manifest="$(mktemp)"
trap 'rm -f "$manifest"' EXIT
# shellcheck disable=SC2016 # the JavaScript's own template literals
OUT="$manifest" "$node" -e '
  const root = require("./package.json");
  const deps = Object.fromEntries(process.argv.slice(1).map((p) => {
    const v = root.dependencies[p];
    if (!v) { console.error(`build-image: ${p} is imported by the image but is no dependency in package.json`); process.exit(1); }
    return [p, v];
  }));
  const manifest = { name: "patronus-bench-image", private: true, type: "module", dependencies: deps };
  require("fs").writeFileSync(process.env.OUT, JSON.stringify(manifest, null, 2));
' "${packages[@]}"
# The same packages at the same lock as last time: reuse the install (npm is most of a build).
if [[ -d "$deps_root/node_modules" ]] && cmp -s "$manifest" "$deps_root/package.json" &&
  cmp -s package-lock.json "$deps_root/root-package-lock.json"; then
  echo "build-image: dependencies unchanged, reusing $deps_root"
else
  rm -rf "$deps_root" && mkdir -p "$deps_root"
  cp "$manifest" "$deps_root/package.json"
  cp package-lock.json "$deps_root/"
  (cd "$deps_root" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error)
  # Type declarations, sources and source maps are never loaded at run time (~half the bytes).
  find "$deps_root/node_modules" -type f \( -name '*.map' -o -name '*.ts' -o -name '*.md' \) -delete
  # npm rewrote the copied lock; this copy is what the next build compares with.
  cp package-lock.json "$deps_root/root-package-lock.json"
fi

base="${BASE_IMAGE:-}"
if [[ -z "$base" ]]; then
  base=gcr.io/distroless/nodejs24-debian12:nonroot
  if ! docker image inspect "$base" >/dev/null 2>&1 && ! docker pull -q "$base" >/dev/null 2>&1; then
    base=patronus-bench/node-base:local
    docker image inspect "$base" >/dev/null 2>&1 || ci/container/build-base-image.sh "$base"
    echo "build-image: $base (registry unreachable: using the locally built base)"
  fi
fi
previous="$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)"
DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE_IMAGE=$base" --label "$label=$digest" -t "$tag" . >/dev/null
# The image this tag held before is now untagged: remove it unless a container or another tag uses it.
if [[ -n "$previous" && "$previous" != "$(docker image inspect -f '{{.Id}}' "$tag")" ]]; then
  docker rmi "$previous" >/dev/null 2>&1 || true
fi
echo "build-image: $tag on $base ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
