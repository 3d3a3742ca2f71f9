#!/usr/bin/env bash
# Redis of the local stack: start | stop | health. No persistence.
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "$0")/../lib/common.sh"

NAME=redis
DATA="$DATA_DIR/redis"

health() {
  if is_external "$NAME"; then
    [[ "$(redis-cli -u "$REDIS_URL" ping 2>/dev/null)" == PONG ]]
  else
    [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
  fi
}

start() {
  is_external "$NAME" && return 0
  need_cmd redis-server "the Debian package 'redis-server'"
  need_cmd redis-cli "the Debian package 'redis-tools'"
  ensure_dirs
  local t0
  already_up "$NAME" "$REDIS_PORT" && return 0
  t0="$(now_ms)"
  mkdir -p "$DATA"
  spawn "$NAME" "$DATA" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize no \
    --dir "$DATA" --save '' --appendonly no --protected-mode yes --loglevel notice
  wait_until "$NAME" 20 "$(recorded_pid "$NAME")" health || exit 1
  log "$NAME: ready on 127.0.0.1:$REDIS_PORT in $(since "$t0")"
}

stop() { stop_server "$NAME" 10; }

case "${1:-}" in
start | stop | health) "$1" ;;
*) die "usage: $0 start|stop|health" ;;
esac
