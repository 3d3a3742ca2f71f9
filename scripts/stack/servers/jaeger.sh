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

prepare() {
  is_external "$NAME" && return 0
  go_build_once jaeger github.com/jaegertracing/jaeger/cmd/jaeger "$JAEGER_VERSION" "$JAEGER_BIN" version
}

health() { http_ok "$(server_url "$NAME")/api/services"; }

start() {
  is_external "$NAME" && return 0
  need_cmd curl "the Debian package 'curl'"
  ensure_dirs
  local t0
  already_up "$NAME" "$JAEGER_QUERY_PORT" && return 0
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

stop() { stop_server "$NAME" 15; }

case "${1:-}" in
prepare | start | stop | health) "$1" ;;
*) die "usage: $0 prepare|start|stop|health" ;;
esac
