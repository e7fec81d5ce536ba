# Versions of the kind node image built by build.sh. The Go modules in go/ and
# harness/cluster/embedded/build/kube pin the same versions; build.sh checks the image tags against
# what kubeadm asks for (`kubeadm config images list`) and fails on a mismatch.
# shellcheck shell=bash disable=SC2034
KIND_VERSION=v0.33.0           # its base image files (entrypoint, systemd units, containerd config)
KUBERNETES_VERSION=v1.37.2     # kubelet, kubeadm, kubectl and the control-plane images
ETCD_IMAGE_TAG=3.7.0-0         # kubeadm v1.37's etcd (go/etcd: go.etcd.io/etcd/server/v3 v3.7.0)
COREDNS_VERSION=v1.14.6        # kubeadm v1.37's CoreDNS (go/coredns)
PAUSE_VERSION=3.10.2           # kubeadm v1.37's pause, compiled from Kubernetes' build/pause/linux/pause.c
FLANNEL_VERSION=v0.27.4        # the pod network (go/flannel); newer releases need modules the proxy does not serve
CONTAINERD_VERSION=v2.3.4      # as kind v0.33's base image (go/containerd)
RUNC_VERSION=1.4.3             # as kind v0.33's base image (go/runc)
DEBIAN_SUITE=bookworm          # the node's and the userland images' Debian
