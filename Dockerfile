# One image, two commands — the Patronus operator and the mesh simulator:
#   docker run IMAGE                             → node operator/main.ts (flags/env: see operator/config/flags.ts)
#   docker run IMAGE harness/mesh/main.ts ...    → the mesh simulator (flags of `patronus-bench mesh`)
# Build with ci/container/build-image.sh: it installs, from package-lock.json, only the packages the
# two entry points import (harness/container/image/dependencies.ts) into DEPS_DIR, so the image
# needs no build stage, no npm and no shell, and builds without any registry when BASE_IMAGE is local.
#
# BASE_IMAGE: distroless Node 24 (no shell, no package manager, uid 65532) where a registry is
# reachable; ci/container/build-base-image.sh produces a same-layout image locally without one.
ARG BASE_IMAGE=gcr.io/distroless/nodejs24-debian12:nonroot
FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="patronus-bench" \
      org.opencontainers.image.description="Patronus SD-WAN operator and mesh simulator (patronus-bench)" \
      org.opencontainers.image.licenses="Apache-2.0"
ARG DEPS_DIR=node_modules/.cache/patronus-bench-image/node_modules
WORKDIR /app
# Root-owned, read-only for the runtime user: the process cannot rewrite its own code.
COPY --chown=0:0 ${DEPS_DIR} ./node_modules
COPY --chown=0:0 package.json ./
COPY --chown=0:0 operator ./operator
COPY --chown=0:0 contract ./contract
COPY --chown=0:0 harness ./harness
COPY --chown=0:0 fixtures/topologies ./fixtures/topologies
USER 65532:65532
ENV NODE_ENV=production
# Node is PID 1: both commands handle SIGTERM themselves (graceful leader hand-over, clean stop).
ENTRYPOINT ["/nodejs/bin/node"]
CMD ["operator/main.ts"]
