# kube-proxy needs nft (nftables mode, kind-config.yaml), iptables and conntrack from a userland.
ARG USERLAND
FROM ${USERLAND}
COPY kube-proxy /usr/local/bin/kube-proxy
