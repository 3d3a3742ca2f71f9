#!/usr/bin/env bash
# What runs where, and whether it answers: scripts/stack/status.sh [--quiet] [servers|all]
# Exit code 0 when every server (and, for `all`, every built service) is healthy.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"
HERE="$ROOT/scripts/stack"

quiet=0 mode=all
for a in "$@"; do
  case "$a" in
  --quiet | -q) quiet=1 ;;
  servers | all) mode="$a" ;;
  *) die "usage: $0 [--quiet] [servers|all]" ;;
  esac
done

rows=() healthy=1
row() { rows+=("$(printf '%-12s %-58s %-9s %s' "$@")"); }

# The checks run in parallel; each writes its verdict to a file.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for s in "${SERVERS[@]}"; do
  ("$HERE/servers/$s.sh" health >/dev/null 2>&1 && echo up || echo down) >"$tmp/$s" &
done
if [[ $mode == all ]]; then
  for entry in "${INSTANCES[@]}"; do
    IFS=: read -r inst port svc <<<"$entry"
    (http_ok "http://127.0.0.1:$port/healthz" && echo up || echo down) >"$tmp/$inst" &
  done
fi
wait

for s in "${SERVERS[@]}"; do
  if is_external "$s"; then pid=external; else pid="$(read_pid "$s" || echo -)"; fi
  state="$(<"$tmp/$s")"
  [[ $state == up ]] || healthy=0
  row "$s" "$(server_url "$s")" "$pid" "$state"
done
if [[ $mode == all ]]; then
  for entry in "${INSTANCES[@]}"; do
    IFS=: read -r inst port svc <<<"$entry"
    state="$(<"$tmp/$inst")"
    pid="$(read_pid "$inst" || echo -)"
    [[ $pid == - && $state == up ]] && pid="unmanaged"
    if [[ ! -f $ROOT/services/$svc/dist/main.js ]]; then
      state="not built"
    elif [[ $state != up ]]; then
      healthy=0
    fi
    row "$inst" "http://127.0.0.1:$port" "$pid" "$state"
  done
fi

if ((quiet == 0)); then
  printf '%-12s %-58s %-9s %s\n' NAME URL PID HEALTH
  printf '%s\n' "${rows[@]}"
fi
((healthy == 1))
