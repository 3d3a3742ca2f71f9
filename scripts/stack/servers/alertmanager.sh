#!/usr/bin/env bash
# Alertmanager of the local stack: start | stop | health. Debian's prometheus-alertmanager with
# observability/alertmanager/alertmanager.local.yml (its route tree; both receivers mail the
# stack's SMTP sink); the stack's Prometheus sends it its alerts. One instance, no cluster.
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "$0")/../lib/common.sh"

NAME=alertmanager
DATA="$DATA_DIR/alertmanager"
CONFIG="$ROOT/observability/alertmanager/alertmanager.local.yml"

health() { http_ok "$(server_url "$NAME")/-/ready"; }

start() {
  is_external "$NAME" && return 0
  need_cmd prometheus-alertmanager "the Debian package 'prometheus-alertmanager'"
  need_cmd curl "the Debian package 'curl'"
  ensure_dirs
  local t0
  already_up "$NAME" "$ALERTMANAGER_PORT" && return 0
  t0="$(now_ms)"
  mkdir -p "$DATA"
  local config
  config="$(offset_config "$CONFIG" "$NAME")"
  if command -v amtool >/dev/null 2>&1 && ! amtool check-config "$config" >/dev/null 2>&1; then
    amtool check-config "$config" >&2 || true
    die "$NAME: $config is invalid"
  fi
  spawn "$NAME" "$DATA" prometheus-alertmanager --config.file="$config" --storage.path="$DATA" \
    --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT" --cluster.listen-address= --log.level=info
  wait_until "$NAME" 30 "$(recorded_pid "$NAME")" health || exit 1
  log "$NAME: ready on 127.0.0.1:$ALERTMANAGER_PORT in $(since "$t0")"
}

stop() { stop_server "$NAME" 15; }

case "${1:-}" in
start | stop | health) "$1" ;;
*) die "usage: $0 start|stop|health" ;;
esac
