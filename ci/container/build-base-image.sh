#!/usr/bin/env bash
# Builds the runtime base image WITHOUT a registry: a rootfs holding only the Node 24 binary (from
# node_modules/node, the version package-lock.json pins), the glibc libraries `ldd` says it needs,
# CA certificates and a "nonroot" user (uid 65532) — the layout of gcr.io/distroless/nodejs24-debian12
# (node at /nodejs/bin/node), so the Dockerfile works unchanged on either base.
#   usage: ci/container/build-base-image.sh [TAG]     (default patronus-bench/node-base:local)
set -euo pipefail
cd "$(dirname "$0")/../.."
tag="${1:-patronus-bench/node-base:local}"
node_bin="$(readlink -f node_modules/node/bin/node)"
[[ -x "$node_bin" ]] || { echo "build-base-image: $node_bin missing — run npm ci" >&2; exit 1; }
command -v docker >/dev/null || { echo "build-base-image: docker CLI missing — apt-get install -y docker.io" >&2; exit 1; }

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{nodejs/bin,etc/ssl/certs,tmp,home/nonroot}
chmod 1777 "$root/tmp"
cp "$node_bin" "$root/nodejs/bin/node"
# Every shared library the binary loads, at the path the dynamic loader looks for it.
ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/" 2>/dev/null || true
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
chown 65532:65532 "$root/home/nonroot"

# The image has no shell: it runs node and nothing else.
tar -C "$root" --numeric-owner -c . | docker import \
  --change 'USER 65532:65532' \
  --change 'WORKDIR /home/nonroot' \
  --change 'ENV PATH=/nodejs/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
  --change 'ENTRYPOINT ["/nodejs/bin/node"]' \
  - "$tag" >/dev/null
echo "build-base-image: $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'), node $("$node_bin" --version))"
