#!/usr/bin/env bash
# Starts the local stack: scripts/stack/up.sh [servers|all]   (default: all)
#   servers: PostgreSQL, Redis, Kafka, MongoDB/FerretDB, Prometheus (each skipped when its
#            variable points at an external server: DATABASE_URL, REDIS_URL, KAFKA_BROKERS,
#            MONGO_URL, PROMETHEUS_URL);
#   all:     the servers, then `npm run build` and the six services (messaging twice).
# Idempotent: what already runs is left alone. Stop with scripts/stack/down.sh.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"
HERE="$ROOT/scripts/stack"

mode="${1:-all}"
case "$mode" in servers | all) ;; *) die "usage: $0 [servers|all]" ;; esac

t0="$(now_ms)"
check_prereqs "$mode"
ensure_dirs
with_lock

pids=()
for s in "${SERVERS[@]}"; do
  "$HERE/servers/$s.sh" start 9>&- &
  pids+=($!)
done
fail=0
for p in "${pids[@]}"; do wait "$p" || fail=1; done
((fail == 0)) || die "not every server came up (see above; logs in $LOG_DIR)"

if [[ $mode == all ]]; then
  "$HERE/services.sh" start 9>&-
fi
# Opt-in: the operator against the local control plane (scripts/k8s/operator.sh).
if [[ $mode == all && ${WITH_OPERATOR:-0} == 1 ]]; then
  "$ROOT/scripts/k8s/operator.sh" start 9>&-
fi

"$HERE/status.sh" "$mode" 9>&- || true
log "up ($mode) in $(since "$t0"); stop with scripts/stack/down.sh"
