#!/usr/bin/env bash
# Runs a command against the local stack. A stack that is up is used and left up. One that is
# partly up (someone's stack with a part down) is completed and left up too: stopping it would
# take down what others run. Only a stack of which nothing runs is started for the command and
# stopped afterwards, whatever the outcome.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=SCRIPTDIR/stack/lib/common.sh
source scripts/stack/lib/common.sh

if scripts/stack/status.sh --quiet; then
  eval "$(scripts/stack/env.sh)"
  exec "$@"
fi

anything_runs() {
  local f
  for f in "$RUN_DIR"/*.pid; do
    [[ -e $f ]] && read_pid "$(basename "$f" .pid)" >/dev/null && return 0
  done
  return 1
}

if ! anything_runs; then trap 'scripts/stack/down.sh' EXIT; fi
STACK_SKIP_BUILD=1 scripts/stack/up.sh all
eval "$(scripts/stack/env.sh)"
"$@"
