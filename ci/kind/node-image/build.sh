#!/usr/bin/env bash
# Builds a kind node image from source, with no registry: what `kind create cluster --image` needs
# where kindest/node cannot be pulled (this project's machine). Everything in it is the real
# component at a pinned version (versions.sh), compiled here through the Go module proxy or taken
# from Debian's packages:
#   - the node: Debian (debootstrap) + kind's base files (entrypoint, systemd units, containerd
#     config — read from the kind module, not copied into this repository), containerd, runc,
#     crictl, CNI plugins, kubelet, kubeadm, kubectl;
#   - preloaded into its containerd, under the names kubeadm asks for: kube-apiserver,
#     kube-controller-manager, kube-scheduler, kube-proxy, etcd, CoreDNS, pause; plus flannel, the
#     pod network (default-cni.yaml: kind's own, kindnetd, is not served by the proxy).
# Cold: ~15–25 min on 2 cores (Go builds, debootstrap); the binaries and the Debian rootfs are
# cached, and an image already built from the same sources is kept (~1 s).
#   usage: ci/kind/node-image/build.sh [TAG]     (default localhost/patronus-bench/kind-node:<k8s version>)
#          progress on stderr; the image's tag, alone, on stdout
#   env:   PATRONUS_KIND_NODE_CACHE (default ~/.cache/patronus-bench/kind-node), DEBIAN_MIRROR
# Needs: Go, gcc and libseccomp-dev (static pause, runc, flannel), debootstrap, jq, a Docker engine that runs privileged containers
# (ci/container/ensure-dockerd.sh), root (debootstrap, chroot).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# shellcheck source=ci/kind/node-image/versions.sh
source "$here/versions.sh"
tag="${1:-localhost/patronus-bench/kind-node:$KUBERNETES_VERSION}"
kube_module="$repo/harness/cluster/embedded/build/kube"
cache_root="${PATRONUS_KIND_NODE_CACHE:-$HOME/.cache/patronus-bench/kind-node}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

say() { printf 'node-image: %s\n' "$*" >&2; }
die() { printf 'node-image: error: %s\n' "$*" >&2; exit 1; }
started=$SECONDS
step() { say "[$((SECONDS - started))s] $*"; }

for tool in go gcc debootstrap jq docker; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y golang gcc debootstrap jq docker.io)"
done
[[ "$(id -u)" == 0 ]] || die "debootstrap and chroot need root"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 || die "no Docker engine answers — run ci/container/ensure-dockerd.sh"

# Everything the image is made of, hashed: the image is rebuilt when any of it changes.
digest="$(cd "$repo" && cat ci/kind/node-image/*.sh ci/kind/node-image/*.yaml ci/kind/node-image/images/* \
  ci/kind/node-image/go/*/go.mod ci/kind/node-image/go/*/go.sum "$kube_module/go.mod" "$kube_module/go.sum" \
  | sha256sum | cut -c1-16)"
if [[ "$(docker image inspect -f '{{index .Config.Labels "io.patronus.source-digest"}}' "$tag" 2>/dev/null)" == "$digest" ]]; then
  say "$tag is up to date (sources $digest)"
  echo "$tag"
  exit 0
fi
cache="$cache_root/$digest"
bin="$cache/bin"
mkdir -p "$bin/cni"
work="$(mktemp -d)"
builder=""
cleanup() {
  [[ -n "$builder" ]] && docker rm -f "$builder" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# --- 1. binaries ---------------------------------------------------------------------------------
go_build() { # DIR OUT PACKAGE... (env: CGO, TAGS, LDFLAGS)
  local dir="$1" out="$2"
  shift 2
  (cd "$dir" && CGO_ENABLED="${CGO:-0}" GOFLAGS=-mod=readonly go build -trimpath ${TAGS:+-tags "$TAGS"} \
    -ldflags "-s -w ${LDFLAGS:-}" -o "$out" "$@")
}
if [[ ! -x "$bin/kubelet" ]]; then
  step "building Kubernetes $KUBERNETES_VERSION: kubelet kubeadm kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy"
  minor="${KUBERNETES_VERSION#v1.}"
  minor="${minor%%.*}"
  stamp=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    stamp+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  LDFLAGS="$stamp" go_build "$kube_module" "$work/kube/" k8s.io/kubernetes/cmd/{kubelet,kubeadm,kubectl,kube-apiserver,kube-controller-manager,kube-scheduler,kube-proxy}
  mv "$work"/kube/* "$bin/"
fi
if [[ ! -x "$bin/containerd" ]]; then
  step "building containerd $CONTAINERD_VERSION, runc $RUNC_VERSION, crictl, CNI plugins"
  TAGS="no_aufs no_zfs no_btrfs no_devmapper" LDFLAGS="-X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION" \
    go_build "$here/go/containerd" "$work/ctd/" github.com/containerd/containerd/v2/cmd/{containerd,ctr,containerd-shim-runc-v2}
  # runc loads seccomp profiles through libseccomp (cgo): linked statically (libseccomp-dev), as
  # runc's own release build, so it does not depend on the node's library versions.
  CGO=1 TAGS="seccomp netgo osusergo" LDFLAGS="-X main.version=$RUNC_VERSION -extldflags -static" go_build "$here/go/runc" "$work/ctd/runc" github.com/opencontainers/runc
  go_build "$here/go/crictl" "$work/ctd/crictl" sigs.k8s.io/cri-tools/cmd/crictl
  go_build "$here/go/cni" "$bin/cni/" github.com/containernetworking/plugins/plugins/{ipam/host-local,main/loopback,main/bridge,main/ptp,meta/portmap}
  mv "$work"/ctd/* "$bin/"
fi
if [[ ! -x "$bin/coredns" ]]; then
  step "building etcd ($ETCD_IMAGE_TAG), flannel $FLANNEL_VERSION, CoreDNS $COREDNS_VERSION, pause $PAUSE_VERSION"
  go_build "$here/go/etcd" "$work/etcd" go.etcd.io/etcd/server/v3
  # flannel's udp backend is cgo; static, as flannel's release build.
  CGO=1 TAGS="netgo osusergo" LDFLAGS="-X github.com/flannel-io/flannel/pkg/version.Version=$FLANNEL_VERSION -extldflags -static" go_build "$here/go/flannel" "$work/flanneld" github.com/flannel-io/flannel
  go_build "$here/go/coredns" "$work/coredns" github.com/coredns/coredns
  kube_src="$(cd "$kube_module" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)"
  gcc -Os -Wall -Werror -static -DVERSION="v$PAUSE_VERSION" -o "$work/pause" "$kube_src/build/pause/linux/pause.c"
  mv "$work"/{etcd,flanneld,coredns,pause} "$bin/"
fi

# kubeadm names the images it will run; ours must be exactly those, at the versions we built.
mapfile -t wanted < <("$bin/kubeadm" config images list --kubernetes-version "$KUBERNETES_VERSION" 2>/dev/null)
image_for() { printf '%s\n' "${wanted[@]}" | grep -E "/$1:" || die "kubeadm $KUBERNETES_VERSION lists no $1 image"; }
for pair in "kube-apiserver:$KUBERNETES_VERSION" "etcd:$ETCD_IMAGE_TAG" "coredns:$COREDNS_VERSION" "pause:$PAUSE_VERSION"; do
  name="${pair%%:*}"
  [[ "$(image_for "$name")" == *":${pair#*:}" ]] ||
    die "kubeadm $KUBERNETES_VERSION wants $(image_for "$name"), versions.sh builds ${pair#*:} — update versions.sh and go/"
done

# --- 2. Debian rootfs (the node's, and the userland of kube-proxy and flannel) ---------------------
# kind v0.33 base image's packages (but fuse-overlayfs and open-iscsi: rootless and iSCSI only).
packages="systemd,systemd-sysv,dbus,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,nfs-common,e2fsprogs,bash,ca-certificates,curl,jq,procps"
rootfs_tar="$cache_root/rootfs-$DEBIAN_SUITE-$(echo "$packages" | sha256sum | cut -c1-12).tar"
if [[ ! -f "$rootfs_tar" ]]; then
  step "debootstrap $DEBIAN_SUITE from $mirror"
  debootstrap --variant=minbase --include="$packages" "$DEBIAN_SUITE" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" --numeric-owner -cf "$rootfs_tar.tmp" . && mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$work/rootfs"
fi
userland="localhost/patronus-bench/kind-userland:$digest"
docker image inspect "$userland" >/dev/null 2>&1 || docker import "$rootfs_tar" "$userland" >/dev/null

# --- 3. the images kubeadm and the pod network run -----------------------------------------------
step "building the component images"
ctx="$work/context"
mkdir -p "$ctx"
cp "$bin"/{kube-apiserver,kube-controller-manager,kube-scheduler,kube-proxy,etcd,coredns,pause,flanneld} "$here/images/write-cni-config" "$ctx/"
build_image() { # TAG DOCKERFILE [--build-arg …]
  local t="$1" f="$2"
  shift 2
  docker build -q -t "$t" -f "$here/images/$f" "$@" "$ctx" >/dev/null || die "docker build of $t failed"
}
images=()
for component in kube-apiserver kube-controller-manager kube-scheduler etcd; do
  build_image "$(image_for "$component")" static.Dockerfile --build-arg "BINARY=$component"
  images+=("$(image_for "$component")")
done
build_image "$(image_for kube-proxy)" kube-proxy.Dockerfile --build-arg "USERLAND=$userland"
build_image "$(image_for coredns)" coredns.Dockerfile
build_image "$(image_for pause)" pause.Dockerfile
flannel="localhost/patronus-bench/flannel:$FLANNEL_VERSION"
grep -q "image: $flannel\$" "$here/default-cni.yaml" || die "default-cni.yaml does not run $flannel"
build_image "$flannel" flannel.Dockerfile --build-arg "USERLAND=$userland"
images+=("$(image_for kube-proxy)" "$(image_for coredns)" "$(image_for pause)" "$flannel")

# --- 4. the node's filesystem --------------------------------------------------------------------
step "assembling the node"
kind_dir="$(cd "$here/go/containerd" && GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/kind@$KIND_VERSION" | jq -r .Dir)"
base="$kind_dir/images/base/files"
[[ -f "$base/usr/local/bin/entrypoint" ]] || die "kind $KIND_VERSION's base files not found in $kind_dir"
node="$work/node"
mkdir -p "$node"
tar -C "$node" -xf "$rootfs_tar"
install -m 0755 "$base"/usr/local/bin/* "$node/usr/local/bin/"
mkdir -p "$node"/kind/{bin,manifests} "$node"/etc/{containerd,default,sysctl.d,kubernetes/manifests} \
  "$node/etc/systemd/system/kubelet.service.d" "$node/opt/cni/bin"
install -m 0644 "$base/kind/README.txt" "$node/kind/"
install -m 0755 "$base"/kind/bin/* "$node/kind/bin/"
install -m 0644 "$base/etc/crictl.yaml" "$node/etc/"
install -m 0644 "$base"/etc/containerd/* "$node/etc/containerd/"
install -m 0644 "$base"/etc/default/* "$node/etc/default/"
install -m 0644 "$base"/etc/sysctl.d/* "$node/etc/sysctl.d/"
install -m 0644 "$base"/etc/systemd/system/{containerd.service,kubelet.service,kubelet.slice,undo-mount-hacks.service} "$node/etc/systemd/system/"
install -m 0644 "$base"/etc/systemd/system/kubelet.service.d/* "$node/etc/systemd/system/kubelet.service.d/"
# The sandbox (pause) image is the one kubeadm lists and we preload.
sed -i -E "s#^(\s*sandbox_image = ).*#\1\"$(image_for pause)\"#" "$node/etc/containerd/config.toml"
grep -q "sandbox_image = \"$(image_for pause)\"" "$node/etc/containerd/config.toml" || die "could not set the sandbox image"
install -m 0755 "$bin"/{containerd,ctr,containerd-shim-runc-v2,crictl} "$node/usr/local/bin/"
install -m 0755 "$bin/runc" "$node/usr/local/sbin/runc"
install -m 0755 "$bin"/cni/* "$node/opt/cni/bin/"
install -m 0755 "$bin"/{kubelet,kubeadm,kubectl} "$node/usr/bin/"
# Lowering a process's OOM score needs CAP_SYS_RESOURCE; where the node lacks it (a Docker engine
# that itself runs in such a container, as on this project's machine) runc cannot start any pod
# unless containerd keeps scores at or above its own — the setting kind's entrypoint uses for
# rootless nodes. Decided at each boot, so the image stays as kind's elsewhere.
mkdir -p "$node/etc/systemd/system/containerd.service.d"
install -m 0755 "$here/images/containerd-oom-score-policy" "$node/usr/local/bin/"
printf '[Service]\nExecStartPre=/usr/local/bin/containerd-oom-score-policy\n' \
  >"$node/etc/systemd/system/containerd.service.d/10-oom-score-policy.conf"
echo "$KUBERNETES_VERSION" >"$node/kind/version"
install -m 0644 "$here/default-cni.yaml" "$node/kind/manifests/default-cni.yaml"
# As kind's base image: no units but ours at boot, journald off the kernel ring, init in place.
find "$node/lib/systemd/system/sysinit.target.wants/" -name systemd-tmpfiles-setup.service -delete
rm -f "$node"/lib/systemd/system/{multi-user,local-fs,basic}.target.wants/* "$node"/etc/systemd/system/*.wants/* \
  "$node"/lib/systemd/system/sockets.target.wants/*udev* "$node"/lib/systemd/system/sockets.target.wants/*initctl*
echo "ReadKMsg=no" >>"$node/etc/systemd/journald.conf"
ln -sf /usr/lib/systemd/systemd "$node/sbin/init"
chroot "$node" systemctl enable kubelet.service containerd.service undo-mount-hacks.service >/dev/null 2>&1
chroot "$node" systemctl mask systemd-binfmt.service >/dev/null 2>&1
staged="localhost/patronus-bench/kind-node-staging:$digest"
tar -C "$node" --numeric-owner -c . | docker import - "$staged" >/dev/null
rm -rf "$node"

# --- 5. preload the images into the node's containerd, as kind's own node-image build does -------
step "preloading ${#images[@]} images into the node's containerd"
builder="$(docker run -d --privileged --entrypoint sleep "$staged" infinity)"
# kind's base image derives the runtime spec of every pod from containerd's default.
docker exec "$builder" ctr oci spec |
  jq '.hooks.createContainer[.hooks.createContainer | length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' |
  jq 'del(.process.rlimits)' >"$work/cri-base.json"
docker cp "$work/cri-base.json" "$builder:/etc/containerd/cri-base.json"
docker exec -d "$builder" containerd
for _ in $(seq 30); do docker exec "$builder" ctr version >/dev/null 2>&1 && break; sleep 1; done
for image in "${images[@]}"; do
  docker save "$image" | docker exec -i "$builder" ctr --namespace=k8s.io images import \
    --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests - >/dev/null ||
    die "importing $image into the node failed"
done
docker exec "$builder" ctr --namespace=k8s.io images list -q | sort >"$work/loaded"
for image in "${images[@]}"; do
  grep -qx "${image}" "$work/loaded" || die "$image is not in the node's containerd after the import: $(tr '\n' ' ' <"$work/loaded")"
done
docker exec "$builder" pkill containerd || true
for _ in $(seq 30); do docker exec "$builder" pgrep containerd >/dev/null || break; sleep 1; done
docker commit "$builder" "$staged" >/dev/null
docker rm -f "$builder" >/dev/null
builder=""

# --- 6. the image kind runs ----------------------------------------------------------------------
printf 'FROM %s\nENV container=docker\nSTOPSIGNAL SIGRTMIN+3\nENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]\nLABEL io.patronus.source-digest=%s io.patronus.kubernetes=%s io.patronus.kind=%s\n' \
  "$staged" "$digest" "$KUBERNETES_VERSION" "$KIND_VERSION" | docker build -q -t "$tag" - >/dev/null
docker rmi "$staged" >/dev/null 2>&1 || true
# What older sources left: their binaries (~700 MB each), rootfs tarballs of other package lists
# and userland tags.
find "$cache_root" -mindepth 1 -maxdepth 1 ! -name "$digest" ! -name "$(basename "$rootfs_tar")" -exec rm -rf {} +
docker images --format '{{.Repository}}:{{.Tag}}' localhost/patronus-bench/kind-userland |
  grep -v ":$digest\$" | xargs -r docker rmi >/dev/null 2>&1 || true
step "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'), sources $digest)"
echo "$tag"
