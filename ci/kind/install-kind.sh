#!/usr/bin/env bash
# Puts `kind` on PATH (GOPATH/bin) by building it from source through the Go module proxy — no
# release download needed. Prints the binary's path.   env: KIND_VERSION=v0.33.0
set -euo pipefail
version="${KIND_VERSION:-v0.33.0}"
if command -v kind >/dev/null && kind version | grep -q "kind ${version} "; then command -v kind; exit 0; fi
bin="$(go env GOPATH)/bin/kind"
if [[ -x "$bin" ]] && "$bin" version | grep -q "kind ${version} "; then echo "$bin"; exit 0; fi
command -v go >/dev/null || { echo "install-kind: Go is needed to build kind (or install kind $version yourself)" >&2; exit 1; }
GOFLAGS=-mod=mod go install "sigs.k8s.io/kind@${version}" >&2
echo "$bin"
