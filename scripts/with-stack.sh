#!/usr/bin/env bash
# Runs a command against the local stack. A stack that is already up is used and left up;
# otherwise it is started for the command and stopped afterwards, whatever the outcome.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if scripts/stack/status.sh --quiet; then
  eval "$(scripts/stack/env.sh)"
  exec "$@"
fi

trap 'scripts/stack/down.sh' EXIT
STACK_SKIP_BUILD=1 scripts/stack/up.sh all
eval "$(scripts/stack/env.sh)"
"$@"
