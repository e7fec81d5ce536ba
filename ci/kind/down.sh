#!/usr/bin/env bash
# Deletes the kind cluster of kind-config.yaml: `patronus-bench kind down`.
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/../lib.sh"
kind_bin="$("$CI_ROOT/ci/kind/install-kind.sh")"
PATH="$(dirname "$kind_bin"):$PATH"
export PATH
pb kind down
