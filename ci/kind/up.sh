#!/usr/bin/env bash
# Creates (or reuses by name) the kind cluster of kind-config.yaml, builds the image, loads it into
# the nodes and deploys the operator and the mesh simulator: `patronus-bench kind up`.
#   env: KIND_NODE_IMAGE (node image), IMAGE_TAG (default patronus-bench:dev),
#        KIND_DEPLOY=0: cluster and CRDs only — what `run --cluster kind` needs, since each run deploys
#        (--runtime cluster) or starts (--runtime process) its own operator and simulator; a
#        deployment left running would compete for the leader Lease.
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/../lib.sh"
kind_bin="$("$CI_ROOT/ci/kind/install-kind.sh")"
PATH="$(dirname "$kind_bin"):$PATH"
export PATH
args=(--image "${IMAGE_TAG:-patronus-bench:dev}")
[[ -n "${KIND_NODE_IMAGE:-}" ]] && args+=(--node-image "$KIND_NODE_IMAGE")
[[ "${KIND_DEPLOY:-1}" == 1 ]] || args+=(--no-build --no-deploy)
pb kind up "${args[@]}"
