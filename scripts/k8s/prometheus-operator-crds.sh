#!/usr/bin/env bash
# The Prometheus Operator CRDs (monitoring.coreos.com/v1), generated from their Go types with
# controller-gen, both from Go modules (scripts/k8s/modules/prometheus-crds pins them), once, into
# the cache: the chart's ServiceMonitors and PrometheusRules are installed with them into the
# test control plane.
#   scripts/k8s/prometheus-operator-crds.sh    generate when missing; print the folder of the CRDs
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$script_dir/modules/prometheus-crds"
cache="${MESSENGER_K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/messenger-k8s}"
version="$(sed -n 's/^[[:space:]]*github.com\/prometheus-operator\/prometheus-operator\/pkg\/apis\/monitoring \(v[^[:space:]]*\).*/\1/p' "$module/go.mod")"
out="$cache/crds/prometheus-operator-$version"

if [[ ! -f "$out/complete" ]]; then
  command -v go >/dev/null || {
    echo "go is not on PATH (needed to generate the Prometheus Operator CRDs)" >&2
    exit 1
  }
  mkdir -p "$cache"
  exec 9>"$cache/crds.lock"
  flock 9
  if [[ ! -f "$out/complete" ]]; then
    work="$cache/src/prometheus-crds"
    rm -rf "$work" "$out"
    mkdir -p "$work" "$out"
    cp "$module"/go.mod "$module"/go.sum "$module"/tools.go "$work/"
    t0=$SECONDS
    (cd "$work" && GOFLAGS="-mod=mod -buildvcs=false" go build -o "$work/controller-gen" sigs.k8s.io/controller-tools/cmd/controller-gen)
    (cd "$work" && ./controller-gen crd:crdVersions=v1,maxDescLen=0 \
      paths=github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1 \
      output:crd:dir="$out")
    touch "$out/complete"
    echo "[k8s] Prometheus Operator $version CRDs generated in $((SECONDS - t0))s: $out" >&2
  fi
fi
echo "$out"
