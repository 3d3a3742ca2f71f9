#!/usr/bin/env bash
# Follows the stack's logs: scripts/stack/logs.sh [name]
# name: postgres, redis, kafka, mongo, prometheus, or a service (messaging covers both
# instances); without a name, every log.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

shopt -s nullglob
if [[ -n ${1:-} ]]; then
  files=("$LOG_DIR/$1.log" "$LOG_DIR/$1"-[0-9].log)
  [[ -f ${files[0]} ]] || ((${#files[@]} > 1)) || {
    avail=("$LOG_DIR"/*.log)
    die "no log named '$1' in $LOG_DIR (there are: $(basename -a -s .log "${avail[@]}" 2>/dev/null | tr '\n' ' '))"
  }
else
  files=("$LOG_DIR"/*.log)
  ((${#files[@]} > 0)) || die "no logs yet in $LOG_DIR: start the stack with scripts/stack/up.sh"
fi
exec tail -n 50 -F "${files[@]}"
