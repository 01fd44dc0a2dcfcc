#!/usr/bin/env bash
# Regenerates labs/crds/gateway-api.yaml, the Gateway API schemas `kubebook check` validates
# Gateway, HTTPRoute, GRPCRoute, ReferenceGrant and BackendTLSPolicy manifests against, from
# the pinned upstream release (sigs.k8s.io/gateway-api, standard channel) in the Go module
# proxy. `--check` fails when the committed file differs (CI runs it).
set -euo pipefail
GATEWAY_API_VERSION=v1.6.3
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../control-plane"
command -v go >/dev/null || { echo "error: go is not installed (Go 1.26 or newer)" >&2; exit 1; }
dir="$(GOFLAGS= go mod download -json "sigs.k8s.io/gateway-api@${GATEWAY_API_VERSION}" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
crds="$dir/config/crd/standard"
[ -d "$crds" ] || { echo "error: gateway-api ${GATEWAY_API_VERSION} has no config/crd/standard" >&2; exit 1; }
tmp="$(mktemp)"
trap 'rm -f "$tmp" "$tmp.bin"' EXIT
go build -trimpath -o "$tmp.bin" ./crd-schemas
"$tmp.bin" "Gateway API ${GATEWAY_API_VERSION} standard channel CRDs (descriptions dropped), by labs/crds/update.sh" \
  "$crds"/gateway.networking.k8s.io_{gatewayclasses,gateways,httproutes,grpcroutes,referencegrants,backendtlspolicies,listenersets}.yaml > "$tmp"
target="$here/gateway-api.yaml"
if [ "${1:-}" = "--check" ]; then
  cmp -s "$tmp" "$target" || { echo "error: labs/crds/gateway-api.yaml is stale: run bash labs/crds/update.sh" >&2; exit 1; }
  echo "labs/crds/gateway-api.yaml is current (${GATEWAY_API_VERSION})"
else
  mv "$tmp" "$target"
  echo "wrote labs/crds/gateway-api.yaml (${GATEWAY_API_VERSION}, $(wc -c < "$target") bytes)"
fi
