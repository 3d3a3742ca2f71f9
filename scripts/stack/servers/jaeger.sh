#!/usr/bin/env bash
# Jaeger v2 of the local stack (all-in-one, traces in memory): start | stop | health | prepare.
# Receives OTLP from the services (LOCAL_OTLP_ENDPOINT, exported by env.sh) and serves the query
# API (/api/v3/traces/{id}, /api/traces/{id}) at LOCAL_JAEGER_URL. Configuration:
# observability/jaeger/jaeger.local.yaml, its addresses set here from lib/common.sh.
# Built once from the Go module proxy into the cache; the module carries no built UI, so the
# address shows Jaeger's placeholder page and the API answers in full.
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "$0")/../lib/common.sh"

NAME=jaeger
CONFIG="$ROOT/observability/jaeger/jaeger.local.yaml"
MODULE=github.com/jaegertracing/jaeger

# `go install module@version` refuses Jaeger (its go.mod has a replace directive), so a scratch
# module records cmd/jaeger as a tool (the versions Jaeger's go.mod requires) and builds that.
build() {
  [[ -x $JAEGER_BIN ]] && return 0
  need_cmd go "Go 1.24+ (https://go.dev/dl/), needed to build Jaeger $JAEGER_VERSION"
  local t0 tmp
  t0="$(now_ms)"
  log "$NAME: building Jaeger v$JAEGER_VERSION into $JAEGER_BIN (once; several minutes on 2 cores)"
  mkdir -p "$CACHE_DIR/bin"
  # Built in a private folder, removed however the build ends, and moved into place whole.
  tmp="$(mktemp -d "$CACHE_DIR/jaeger-build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && go mod init messenger-stack/jaeger >/dev/null 2>&1 &&
    go get -tool "$MODULE/cmd/jaeger@v$JAEGER_VERSION" >/dev/null 2>&1 &&
    GOFLAGS=-buildvcs=false go build -trimpath -o "$tmp/jaeger" "$MODULE/cmd/jaeger" >&2); then
    die "$NAME: building $MODULE/cmd/jaeger@v$JAEGER_VERSION failed"
  fi
  mv "$tmp/jaeger" "$JAEGER_BIN"
  rm -rf "$tmp"
  trap - EXIT
  "$JAEGER_BIN" version >/dev/null 2>&1 || die "$NAME: the Jaeger build does not run"
  log "$NAME: Jaeger built in $(since "$t0")"
}

# Two builds at once (make deps and make up, say) would both compile: the second waits.
prepare() {
  is_external "$NAME" && return 0
  mkdir -p "$CACHE_DIR"
  exec 8>"$CACHE_DIR/jaeger-build.lock"
  flock -w 1800 8 || die "$NAME: another build holds $CACHE_DIR/jaeger-build.lock"
  build
  exec 8>&-
}

health() { http_ok "$(server_url "$NAME")/api/services"; }

start() {
  is_external "$NAME" && return 0
  need_cmd curl "the Debian package 'curl'"
  ensure_dirs
  local t0
  if health; then
    read_pid "$NAME" >/dev/null || warn "$NAME: something already answers on port $JAEGER_QUERY_PORT; using it"
    return 0
  fi
  t0="$(now_ms)"
  prepare
  mkdir -p "$DATA_DIR/$NAME"
  spawn "$NAME" "$DATA_DIR/$NAME" env \
    JAEGER_QUERY_ENDPOINT="127.0.0.1:$JAEGER_QUERY_PORT" \
    JAEGER_QUERY_GRPC_ENDPOINT="127.0.0.1:$JAEGER_QUERY_GRPC_PORT" \
    JAEGER_OTLP_GRPC_ENDPOINT="127.0.0.1:$JAEGER_OTLP_GRPC_PORT" \
    JAEGER_OTLP_HTTP_ENDPOINT="127.0.0.1:$JAEGER_OTLP_HTTP_PORT" \
    "$JAEGER_BIN" --config="$CONFIG"
  wait_until "$NAME" 30 "$(recorded_pid "$NAME")" health || exit 1
  log "$NAME: ready in $(since "$t0"): UI and API $LOCAL_JAEGER_URL, OTLP $LOCAL_OTLP_ENDPOINT"
}

stop() {
  local pid
  if pid="$(read_pid "$NAME")"; then stop_pid "$NAME" "$pid" 15; fi
  rm -f "$(pidfile "$NAME")"
}

case "${1:-}" in
prepare | start | stop | health) "$1" ;;
*) die "usage: $0 prepare|start|stop|health" ;;
esac
