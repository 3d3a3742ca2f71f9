#!/usr/bin/env bash
# Centrifugo, the benchmark's third system (benchmarks/compare): build | path.
#   build  builds Centrifugo v$CENTRIFUGO_VERSION from the Go module proxy into the stack's cache,
#          once (a later call finds the binary and returns at once); prints nothing on stdout
#   path   prints the binary's path (building it first when it is missing)
# Built as the stack's Go servers are (go_build_once, scripts/stack/lib/common.sh): through the
# proxy alone, without this repository's go.mod, nothing copied or patched (unlike FerretDB).
set -euo pipefail
# shellcheck source=SCRIPTDIR/../stack/lib/common.sh
source "$(dirname "$0")/../stack/lib/common.sh"

CENTRIFUGO_VERSION=6.9.1
CENTRIFUGO_BIN="$CACHE_DIR/centrifugo-$CENTRIFUGO_VERSION/centrifugo"

build() {
  go_build_once centrifugo github.com/centrifugal/centrifugo/v6 "$CENTRIFUGO_VERSION" \
    "$CENTRIFUGO_BIN" version
}

case "${1:-}" in
build) build ;;
path)
  build
  echo "$CENTRIFUGO_BIN"
  ;;
*) die "usage: $0 build|path" ;;
esac
