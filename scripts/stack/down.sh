#!/usr/bin/env bash
# Stops what scripts/stack/up.sh started: the services first, then the servers.
#   scripts/stack/down.sh [--purge]   (--purge also deletes .stack/data)
# External servers are never touched. Idempotent.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"
HERE="$ROOT/scripts/stack"

purge=0
case "${1:-}" in
"") ;;
--purge) purge=1 ;;
*) die "usage: $0 [--purge]" ;;
esac

t0="$(now_ms)"
if [[ -d $STACK_DIR ]]; then
  with_lock
  if compgen -G "${MESSENGER_K8S_STATE:-$ROOT/.stack/k8s}/pids/operator-*.pid" >/dev/null; then
    "$ROOT/scripts/k8s/operator.sh" stop 9>&-
  fi
  "$HERE/services.sh" stop 9>&-
  pids=()
  for s in "${SERVERS[@]}"; do
    "$HERE/servers/$s.sh" stop 9>&- &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
fi

# Anything of ours still alive (a lost pid file, a crashed start) goes too.
mapfile -t strays < <(our_pids)
if ((${#strays[@]} > 0)); then
  warn "stray processes of the stack: ${strays[*]}; terminating them"
  kill -TERM "${strays[@]}" 2>/dev/null || true
  for _ in $(seq 50); do
    mapfile -t strays < <(our_pids)
    ((${#strays[@]} == 0)) && break
    sleep 0.2
  done
  ((${#strays[@]} == 0)) || kill -KILL "${strays[@]}" 2>/dev/null || true
fi

rm -f "$RUN_DIR"/*.pid
if ((purge == 1)); then
  rm -rf "$DATA_DIR" "$CONF_DIR"
  log "deleted $DATA_DIR"
fi
log "down in $(since "$t0")"
