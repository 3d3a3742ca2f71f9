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

prepare() {
  is_external "$NAME" && return 0
  go_build_once versitygw github.com/versity/versitygw/cmd/versitygw "$VERSITYGW_VERSION" \
    "$VERSITYGW_BIN" --version
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
  already_up "$NAME" "$S3_PORT" && return 0
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

stop() { stop_server "$NAME" 15; }

case "${1:-}" in
prepare | start | stop | health) "$1" ;;
*) die "usage: $0 prepare|start|stop|health" ;;
esac
