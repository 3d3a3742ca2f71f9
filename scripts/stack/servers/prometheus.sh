#!/usr/bin/env bash
# Prometheus of the local stack: start | stop | health.
# Scrapes every service (observability/prometheus/prometheus.local.yml), and whatever target
# files a test writes into .stack/conf/prometheus/targets/ (file_sd, read within seconds).
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "$0")/../lib/common.sh"

NAME=prometheus
DATA="$DATA_DIR/prometheus"
CONFIG="$ROOT/observability/prometheus/prometheus.local.yml"

health() { http_ok "$(server_url "$NAME")/-/ready"; }

start() {
  is_external "$NAME" && return 0
  need_cmd prometheus "the Debian package 'prometheus'"
  need_cmd curl "the Debian package 'curl'"
  ensure_dirs
  local t0
  if health; then
    read_pid "$NAME" >/dev/null || warn "$NAME: something already answers on port $PROMETHEUS_PORT; using it"
    return 0
  fi
  t0="$(now_ms)"
  mkdir -p "$DATA"
  local config
  config="$(offset_config "$CONFIG" "$NAME")"
  # Always a copy in the stack's folder, so that its file_sd targets/ (relative to it) are there,
  # not in the repository; it finds the rule files (rules/*.yml, relative to it) through a link.
  if [[ $config == "$CONFIG" ]]; then
    config="$CONF_DIR/$NAME/$(basename "$CONFIG")"
    mkdir -p "$(dirname "$config")"
    cp "$CONFIG" "$config"
  fi
  ln -sfn "$(dirname "$CONFIG")/rules" "$(dirname "$config")/rules"
  mkdir -p "$(dirname "$config")/targets"
  if command -v promtool >/dev/null 2>&1 && ! promtool check config "$config" >/dev/null 2>&1; then
    promtool check config "$config" >&2 || true
    die "$NAME: $config is invalid"
  fi
  spawn "$NAME" "$DATA" prometheus --config.file="$config" --storage.tsdb.path="$DATA" \
    --storage.tsdb.retention.time=2d --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
    --web.enable-lifecycle --log.level=info
  wait_until "$NAME" 30 "$(recorded_pid "$NAME")" health || exit 1
  log "$NAME: ready on 127.0.0.1:$PROMETHEUS_PORT in $(since "$t0")"
}

stop() {
  local pid
  if pid="$(read_pid "$NAME")"; then stop_pid "$NAME" "$pid" 15; fi
  rm -f "$(pidfile "$NAME")"
}

case "${1:-}" in
start | stop | health) "$1" ;;
*) die "usage: $0 start|stop|health" ;;
esac
