#!/usr/bin/env bash
# Creates (or reuses by name) the kind cluster of kind-config.yaml, builds the image, loads it into
# the nodes and deploys the operator and the mesh simulator: `patronus-bench kind up`.
#   env: KIND_NODE_IMAGE (node image), IMAGE_TAG (default patronus-bench:dev)
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/../lib.sh"
kind_bin="$("$CI_ROOT/ci/kind/install-kind.sh")"
PATH="$(dirname "$kind_bin"):$PATH"
export PATH
args=(--image "${IMAGE_TAG:-patronus-bench:dev}")
[[ -n "${KIND_NODE_IMAGE:-}" ]] && args+=(--node-image "$KIND_NODE_IMAGE")
pb kind up "${args[@]}"
