ARG USERLAND
FROM ${USERLAND}
COPY flanneld write-cni-config /usr/local/bin/
