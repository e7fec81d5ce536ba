# A control-plane component as kubeadm's static pods run it: one static binary, found on PATH
# (kubeadm's manifests name the command, not a path).
FROM scratch
ARG BINARY
COPY ${BINARY} /usr/local/bin/${BINARY}
ENV PATH=/usr/local/bin
