#!/usr/bin/env bash
# The local SMTP sink (tools/smtp-sink): start | stop | health. Accepts every mail on
# 127.0.0.1:51025 and shows what it received on http://127.0.0.1:51080/messages.
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "$0")/../lib/common.sh"

NAME=smtp

health() { http_ok "$(server_url "$NAME")/healthz"; }

start() {
  is_external "$NAME" && return 0
  ensure_dirs
  local t0
  already_up "$NAME" "$SMTP_SINK_HTTP_PORT" && return 0
  [[ -d $ROOT/node_modules/smtp-server ]] || die "$NAME: npm packages missing: run 'npm ci'"
  t0="$(now_ms)"
  mkdir -p "$DATA_DIR/$NAME"
  spawn "$NAME" "$ROOT" env SMTP_SINK_PORT="$SMTP_SINK_PORT" SMTP_SINK_HTTP_PORT="$SMTP_SINK_HTTP_PORT" \
    node --conditions=source --import tsx tools/smtp-sink/main.ts
  wait_until "$NAME" 30 "$(recorded_pid "$NAME")" health || exit 1
  log "$NAME: ready on 127.0.0.1:$SMTP_SINK_PORT (mail) and :$SMTP_SINK_HTTP_PORT (messages) in $(since "$t0")"
}

stop() { stop_server "$NAME" 10; }

case "${1:-}" in
start | stop | health) "$1" ;;
*) die "usage: $0 start|stop|health" ;;
esac
