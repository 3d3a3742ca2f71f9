#!/usr/bin/env bash
# The Gateway API CRDs (standard channel) from the sigs.k8s.io/gateway-api Go module, fetched once
# through the Go module proxy into Go's module cache: the chart's HTTPRoute is validated against
# them offline and installed with them into the test control plane.
#   scripts/k8s/gateway-api-crds.sh          print the folder of the standard-channel CRDs
#   scripts/k8s/gateway-api-crds.sh httproute  print the HTTPRoute CRD file
# Settings: GATEWAY_API_VERSION (v1.4.1)
set -euo pipefail

version="${GATEWAY_API_VERSION:-v1.4.1}"
dir="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/gateway-api@$version" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
crds="$dir/config/crd/standard"
[[ -d "$crds" ]] || {
  echo "gateway-api $version: no $crds" >&2
  exit 1
}
case "${1:-}" in
  '') echo "$crds" ;;
  httproute) echo "$crds/gateway.networking.k8s.io_httproutes.yaml" ;;
  *)
    echo "usage: $0 [httproute]" >&2
    exit 2
    ;;
esac
