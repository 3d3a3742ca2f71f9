#!/usr/bin/env bash
# The S3-compatible object server of the local stack: start | stop | health | prepare.
# Versity Gateway (versitygw, Apache-2.0) with its posix backend: every bucket is a folder of
# .stack/data/s3, object metadata (content type) in extended attributes. It serves the S3 API at
# LOCAL_S3_URL with one root user (LOCAL_S3_ACCESS_KEY / LOCAL_S3_SECRET_KEY, exported by
# env.sh); messaging creates its bucket at start-up when missing.
# Built once from the Go module proxy into the cache, like Jaeger.
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "$0")/../lib/common.sh"

NAME=s3
MODULE=github.com/versity/versitygw

build() {
  [[ -x $VERSITYGW_BIN ]] && return 0
  need_cmd go "Go 1.25+ (https://go.dev/dl/), needed to build versitygw $VERSITYGW_VERSION"
  local t0 tmp
  t0="$(now_ms)"
  log "$NAME: building versitygw v$VERSITYGW_VERSION into $VERSITYGW_BIN (once; minutes on 2 cores)"
  mkdir -p "$CACHE_DIR/bin"
  # Built in a private folder, removed however the build ends, and moved into place whole.
  tmp="$(mktemp -d "$CACHE_DIR/versitygw-build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  if ! GOBIN="$tmp" GOFLAGS=-buildvcs=false \
    go install -trimpath "$MODULE/cmd/versitygw@v$VERSITYGW_VERSION" >&2; then
    die "$NAME: building $MODULE/cmd/versitygw@v$VERSITYGW_VERSION failed"
  fi
  mv "$tmp/versitygw" "$VERSITYGW_BIN"
  rm -rf "$tmp"
  trap - EXIT
  "$VERSITYGW_BIN" --version >/dev/null 2>&1 || die "$NAME: the versitygw build does not run"
  log "$NAME: versitygw built in $(since "$t0")"
}

# Two builds at once (make deps and make up, say) would both compile: the second waits.
prepare() {
  is_external "$NAME" && return 0
  mkdir -p "$CACHE_DIR"
  exec 8>"$CACHE_DIR/versitygw-build.lock"
  flock -w 1800 8 || die "$NAME: another build holds $CACHE_DIR/versitygw-build.lock"
  build
  exec 8>&-
}

# An external endpoint is healthy when it answers HTTP at all (S3 has no common health path).
health() {
  if is_external "$NAME"; then
    [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$(server_url "$NAME")")" != 000 ]]
  else
    http_ok "$LOCAL_S3_URL/health"
  fi
}

start() {
  is_external "$NAME" && return 0
  need_cmd curl "the Debian package 'curl'"
  ensure_dirs
  local t0
  if health; then
    read_pid "$NAME" >/dev/null || warn "$NAME: something already answers on port $S3_PORT; using it"
    return 0
  fi
  t0="$(now_ms)"
  prepare
  mkdir -p "$DATA_DIR/$NAME/buckets"
  spawn "$NAME" "$DATA_DIR/$NAME" env \
    ROOT_ACCESS_KEY_ID="$LOCAL_S3_ACCESS_KEY" ROOT_SECRET_ACCESS_KEY="$LOCAL_S3_SECRET_KEY" \
    "$VERSITYGW_BIN" --port "127.0.0.1:$S3_PORT" --region "$LOCAL_S3_REGION" --health /health \
    --quiet posix "$DATA_DIR/$NAME/buckets"
  wait_until "$NAME" 30 "$(recorded_pid "$NAME")" health || exit 1
  log "$NAME: ready in $(since "$t0"): S3 API $LOCAL_S3_URL"
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
