#!/usr/bin/env bash
# Centrifugo, the benchmark's third system (benchmarks/compare): build | path.
#   build  builds Centrifugo v$CENTRIFUGO_VERSION from the Go module proxy into the stack's cache,
#          once (a later call finds the binary and returns at once); prints nothing on stdout
#   path   prints the binary's path (building it first when it is missing)
# `go install module@version` resolves the module through the proxy alone, without this
# repository's go.mod, so nothing has to be copied or patched (unlike FerretDB, servers/mongo.sh).
set -euo pipefail
# shellcheck source=SCRIPTDIR/../stack/lib/common.sh
source "$(dirname "$0")/../stack/lib/common.sh"

CENTRIFUGO_VERSION=6.9.1
CENTRIFUGO_MODULE=github.com/centrifugal/centrifugo/v6
CENTRIFUGO_DIR="$CACHE_DIR/centrifugo-$CENTRIFUGO_VERSION"
CENTRIFUGO_BIN="$CENTRIFUGO_DIR/centrifugo"

build() {
  [[ -x $CENTRIFUGO_BIN ]] && return 0
  need_cmd go "Go 1.24+ (https://go.dev/dl/), needed to build Centrifugo $CENTRIFUGO_VERSION"
  local t0 tmp
  t0="$(now_ms)"
  log "centrifugo: building v$CENTRIFUGO_VERSION into $CENTRIFUGO_BIN (once; several minutes on 2 cores)"
  mkdir -p "$CACHE_DIR"
  # Built into a private folder and moved into place, so an interrupted build leaves no binary.
  tmp="$(mktemp -d "$CACHE_DIR/centrifugo-build.XXXXXX")"
  if ! GOBIN="$tmp" GOFLAGS=-buildvcs=false go install -trimpath "$CENTRIFUGO_MODULE@v$CENTRIFUGO_VERSION" >&2; then
    rm -rf "$tmp"
    die "centrifugo: building $CENTRIFUGO_MODULE@v$CENTRIFUGO_VERSION failed"
  fi
  mkdir -p "$CENTRIFUGO_DIR"
  mv "$tmp/centrifugo" "$CENTRIFUGO_BIN"
  rm -rf "$tmp"
  "$CENTRIFUGO_BIN" version >/dev/null || die "centrifugo: the build does not run"
  log "centrifugo: built in $(since "$t0")"
}

# Two builds at once (make deps and a test, say) would both compile: the second waits for the first.
locked_build() {
  mkdir -p "$CACHE_DIR"
  exec 8>"$CACHE_DIR/centrifugo-build.lock"
  flock -w 1800 8 || die "centrifugo: another build holds $CACHE_DIR/centrifugo-build.lock"
  build
  exec 8>&-
}

case "${1:-}" in
build) locked_build ;;
path)
  locked_build
  echo "$CENTRIFUGO_BIN"
  ;;
*) die "usage: $0 build|path" ;;
esac
