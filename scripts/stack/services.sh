#!/usr/bin/env bash
# The six services of the local stack as local processes (messaging twice):
#   start|stop [INSTANCE...]   every instance, or only those named (e.g. messaging-2, contact).
# `start` builds the workspace first (STACK_SKIP_BUILD=1 skips that); a service without
# services/<name>/dist/main.js is skipped with a warning.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

healthz() { http_ok "http://127.0.0.1:$1/healthz"; }

# selected INSTANCE: true when no instance was named on the command line, or this one was.
NAMED=()
selected() {
  ((${#NAMED[@]} == 0)) && return 0
  local name
  for name in "${NAMED[@]}"; do [[ $name == "$1" ]] && return 0; done
  return 1
}

build() {
  [[ ${STACK_SKIP_BUILD:-0} == 1 ]] && return 0
  local t0
  t0="$(now_ms)"
  cd "$ROOT"
  if [[ ! -d node_modules ]]; then
    log "services: npm ci"
    npm ci --no-audit --no-fund >&2 || die "services: npm ci failed"
  fi
  npm run --silent build >&2 || die "services: 'npm run build' failed"
  log "services: built in $(since "$t0")"
}

# instance_id INSTANCE: messaging-1 for "messaging", messaging-2 for "messaging-2".
instance_id() { if [[ $1 == *-[0-9] ]]; then echo "$1"; else echo "$1-1"; fi; }

# database_url SERVICE: the service's own database on the stack's server.
database_url() {
  case "$1" in
  auth | session | profile | contact | search) with_db "$DATABASE_URL" "$1" ;;
  *) echo "$DATABASE_URL" ;;
  esac
}

start() {
  build
  eval "$("$ROOT/scripts/stack/env.sh")"
  ensure_dirs
  local entry inst port svc pid started=() waits=() fail=0 t0
  t0="$(now_ms)"
  for entry in "${INSTANCES[@]}"; do
    IFS=: read -r inst port svc <<<"$entry"
    selected "$inst" || continue
    if [[ ! -f $ROOT/services/$svc/dist/main.js ]]; then
      warn "$inst: services/$svc/dist/main.js does not exist (not written yet?); skipped"
      continue
    fi
    if pid="$(read_pid "$inst")"; then
      healthz "$port" && continue
      warn "$inst: pid $pid does not answer /healthz; restarting it"
      stop_pid "$inst" "$pid" 10
    elif healthz "$port"; then
      warn "$inst: something already answers on port $port; using it"
      continue
    fi
    spawn "$inst" "$ROOT" env PORT="$port" DATABASE_URL="$(database_url "$svc")" \
      INSTANCE_ID="$(instance_id "$inst")" OTEL_RESOURCE_ATTRIBUTES="service.instance.id=$(instance_id "$inst")" \
      node --enable-source-maps "services/$svc/dist/main.js"
    started+=("$inst:$port")
  done
  for entry in "${started[@]}"; do
    IFS=: read -r inst port <<<"$entry"
    wait_until "$inst" 60 "$(recorded_pid "$inst")" healthz "$port" &
    waits+=($!)
  done
  for pid in "${waits[@]}"; do wait "$pid" || fail=1; done
  ((fail == 0)) || die "services: not every service came up (logs: $LOG_DIR)"
  ((${#started[@]} == 0)) || log "services: ${#started[@]} instance(s) healthy in $(since "$t0")"
}

stop() {
  local entry inst port svc pid waits=()
  # Services stop gracefully within SHUTDOWN_TIMEOUT_MS (10 s by default).
  local grace=$((${SHUTDOWN_TIMEOUT_MS:-10000} / 1000 + 5))
  for entry in "${INSTANCES[@]}"; do
    IFS=: read -r inst port svc <<<"$entry"
    selected "$inst" || continue
    if pid="$(read_pid "$inst")"; then
      stop_pid "$inst" "$pid" "$grace" &
      waits+=($!)
    fi
  done
  for pid in "${waits[@]}"; do wait "$pid" || true; done
  for entry in "${INSTANCES[@]}"; do
    selected "${entry%%:*}" && rm -f "$(pidfile "${entry%%:*}")"
  done
  return 0
}

command="${1:-}"
shift || true
NAMED=("$@")
for name in "${NAMED[@]}"; do
  known=0
  for entry in "${INSTANCES[@]}"; do [[ ${entry%%:*} == "$name" ]] && known=1; done
  ((known == 1)) || die "no instance $name; the instances are: ${INSTANCES[*]%%:*}"
done
case "$command" in
start | stop) "$command" ;;
*) die "usage: $0 start|stop [INSTANCE...]" ;;
esac
