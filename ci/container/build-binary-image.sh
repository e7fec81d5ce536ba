#!/usr/bin/env bash
# Builds an image of one operator binary the harness built (e.g. patronus-rs, built by cargo), on
# the project's offline base image (ci/container/build-base-image.sh): no registry, no build stage.
#   usage: ci/container/build-binary-image.sh BINARY TAG
#   IMAGE_SOURCE_DIGEST   the digest of the sources the binary was built from (the harness's build
#                         cache key); the image is labelled with it and not rebuilt while TAG holds it.
#   BASE_IMAGE            default patronus-bench/node-base:local (built on demand).
#   FORCE=1               build even when TAG already carries this digest.
# The base holds the glibc libraries its Node binary loads, copied from this machine. The binary's
# own needs (`ldd BINARY`) are checked against the base's files, and any library the base lacks is
# copied from this machine into the image beside the binary, at the path the loader looks for it.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary="${1:?usage: build-binary-image.sh BINARY TAG}"
tag="${2:?usage: build-binary-image.sh BINARY TAG}"
digest="${IMAGE_SOURCE_DIGEST:?IMAGE_SOURCE_DIGEST is required: the digest of the sources of the binary}"
base="${BASE_IMAGE:-patronus-bench/node-base:local}"
label=io.patronus-bench.source-digest
[[ -x "$binary" ]] || { echo "build-binary-image: $binary is not an executable file" >&2; exit 1; }
docker version >/dev/null 2>&1 || { echo "build-binary-image: no Docker engine — run ci/container/ensure-dockerd.sh" >&2; exit 1; }

current="$(docker image inspect -f "{{index .Config.Labels \"$label\"}}" "$tag" 2>/dev/null || true)"
if [[ "$current" == "$digest" && "${FORCE:-0}" != 1 ]]; then
  echo "build-binary-image: $tag is current ($digest)"
  exit 0
fi
docker image inspect "$base" >/dev/null 2>&1 || ci/container/build-base-image.sh "$base"

context="$(mktemp -d)"
container=""
trap 'rm -rf "$context"; [[ -z "$container" ]] || docker rm -f "$container" >/dev/null 2>&1 || true' EXIT
name="$(basename "$binary")"
mkdir -p "$context/root/usr/local/bin"
cp "$binary" "$context/root/usr/local/bin/$name"

# What the base's filesystem holds, to compare the binary's libraries against.
container="$(docker create "$base")"
docker export "$container" | tar -t | sed 's|^\./||; s|^|/|' >"$context/base-files"
ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' >"$context/needed"
added=()
while read -r lib; do
  grep -qxF "$lib" "$context/base-files" && continue
  mkdir -p "$context/root$(dirname "$lib")"
  cp -L "$lib" "$context/root$lib"
  added+=("$lib")
done <"$context/needed"
if ((${#added[@]})); then
  echo "build-binary-image: $base lacks ${added[*]}; copied from this machine" >&2
fi

cat >"$context/Dockerfile" <<EOF
FROM $base
COPY --chown=0:0 root/ /
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/$name"]
CMD []
EOF
previous="$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)"
DOCKER_BUILDKIT=0 docker build -q --label "$label=$digest" -t "$tag" "$context" >/dev/null
if [[ -n "$previous" && "$previous" != "$(docker image inspect -f '{{.Id}}' "$tag")" ]]; then
  docker rmi "$previous" >/dev/null 2>&1 || true
fi
echo "build-binary-image: $tag on $base ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
