#!/usr/bin/env bash
# Builds the pinned upstream control plane that `kubebook labs run --control-plane` starts:
# kube-apiserver, kube-controller-manager, kube-scheduler and kubectl from k8s.io/kubernetes,
# etcd from go.etcd.io/etcd/server, and kwok (fake nodes) from sigs.k8s.io/kwok.
# Nothing is downloaded prebuilt: every program is compiled from the Go module proxy.
#
# Output: $KUBEBOOK_CONTROL_PLANE_DIR (default ~/.cache/kubebook/control-plane/<pin>/bin).
# A second run with the same pins does nothing. Prints the bin folder on its last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

# The pins. The kubernetes release is in go.mod; these stamp what the binaries report.
K8S_VERSION=v1.37.2
KWOK_VERSION=v0.8.0
# kind, whose default objects (CoreDNS through kubeadm, the default StorageClass) the control
# plane creates at start.
KIND_VERSION=v0.33.0
# Helm, for the labs that install charts (it talks to the API only).
HELM_VERSION=v4.3.2

command -v go >/dev/null || { echo "error: go is not installed (Go 1.26 or newer is needed to build the control plane)" >&2; exit 1; }

# Bump when the build recipe below changes the binaries (flags, stamps).
RECIPE=1
# The cache key covers everything that changes the binaries.
key="$( (cat go.mod go.sum; echo "$KWOK_VERSION $RECIPE"; go env GOVERSION GOARCH) | sha256sum | cut -c1-12)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/kubebook/control-plane"
out="${KUBEBOOK_CONTROL_PLANE_DIR:-$cache/${K8S_VERSION#v}-$key/bin}"
# kwok simulates nothing without stages: kwok's own "fast" node and pod stages and its
# lease heartbeat (what kwokctl configures), copied from the kwok module as released.
stages() {
  local dir
  dir="$(GOFLAGS= go mod download -json "sigs.k8s.io/kwok@${KWOK_VERSION}" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [ -d "$dir/kustomize/stage" ] || { echo "error: kwok ${KWOK_VERSION} has no kustomize/stage folder" >&2; exit 1; }
  local s="$dir/kustomize/stage"
  {
    echo "# kwok ${KWOK_VERSION} stages: node/fast, node/heartbeat-with-lease, pod/fast (copied by install.sh)"
    for f in "$s/node/fast/node-initialize.yaml" "$s/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
             "$s/pod/fast/pod-ready.yaml" "$s/pod/fast/pod-complete.yaml" "$s/pod/fast/pod-delete.yaml"; do
      echo "---"; cat "$f"
    done
  } > "$1.tmp" && mv "$1.tmp" "$1"
}
# The objects a new kind cluster holds (see kind-addons/main.go), rendered by upstream code.
addons() {
  local kind_dir
  kind_dir="$(GOFLAGS= go mod download -json "sigs.k8s.io/kind@${KIND_VERSION}" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  go build -trimpath -o "$1.bin" ./kind-addons
  "$1.bin" "$kind_dir" > "$1.tmp"
  rm -f "$1.bin"
  mv "$1.tmp" "$1"
}
helm_build() {
  echo "building helm ${HELM_VERSION}"
  GOBIN="$1" GOFLAGS= go install -trimpath -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=${HELM_VERSION}" "helm.sh/helm/v4/cmd/helm@${HELM_VERSION}"
}
if [ -f "$out/.complete" ]; then
  [ -x "$out/helm" ] || helm_build "$out"
  [ -f "$out/kwok-stages.yaml" ] || stages "$out/kwok-stages.yaml"
  [ -f "$out/kind-addons.yaml" ] || addons "$out/kind-addons.yaml"
  echo "control plane ${K8S_VERSION} already built"
  echo "$out"
  exit 0
fi
mkdir -p "$out"
tmp="$(mktemp -d "$out/../build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# Upstream's hack/lib/version.sh stamps these; kubectl version and `kubectl get nodes`
# print them, and the labs' expected outputs read them.
minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
stamp=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamp+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  stamp+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

export CGO_ENABLED=0 GOFLAGS=-mod=readonly
start=$SECONDS
echo "building kube-apiserver, kube-controller-manager, kube-scheduler, kubectl ${K8S_VERSION} and etcd (a cold build takes several minutes on 2 cores)"
go build -trimpath -ldflags "-s -w $stamp" -o "$tmp/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler \
  k8s.io/kubernetes/cmd/kubectl
go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3
echo "building kwok ${KWOK_VERSION}"
GOBIN="$tmp" GOFLAGS= go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}"
helm_build "$tmp"
for b in kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok helm; do
  mv -f "$tmp/$b" "$out/$b"
done
stages "$out/kwok-stages.yaml"
addons "$out/kind-addons.yaml"
echo "$K8S_VERSION" > "$out/.complete"
echo "built in $((SECONDS - start)) s"
echo "$out"
