#!/usr/bin/env bash
# The operator beside the local stack, against the local control plane (scripts/k8s/control-plane.sh):
# opt-in, for `WITH_OPERATOR=1 make up` or by hand; nothing runs unless asked.
#   scripts/k8s/operator.sh start    the control plane must run: applies the CRD, namespace
#                                    `messenger` and the MessengerPlatform `local` (the stack's
#                                    Kafka as external brokers), then runs the operator (built
#                                    services/operator/dist) on OPERATOR_PORT
#   scripts/k8s/operator.sh stop     stops the operator it started (its recorded pid only)
#   scripts/k8s/operator.sh status   whether it runs and answers /readyz
# Settings: OPERATOR_PORT (the operator's port in services.json), KAFKA_BROKERS, SESSION_URL
# (the stack's, from scripts/stack/env.sh), LOCAL_PLATFORM_SPEC_EXTRA (YAML lines added under
# spec, e.g. 'auth: {keyRotationPeriod: 720h}').
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"
control_plane="$script_dir/control-plane.sh"
state="$("$control_plane" paths | sed -n 's/^state //p')"
port="${OPERATOR_PORT:-$(node -p "require('$repo_root/packages/contracts/src/services.json').operator.port")}"
pid_file="$state/pids/operator-$port.pid"
log_file="$state/logs/operator-$port.log"

say() { printf '[operator] %s\n' "$*" >&2; }
fail() {
  say "error: $*"
  exit 1
}
running() { [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

# Server-side apply of one YAML object at an API path, as the admin of the local control plane.
apply() { # api-path yaml
  curl -fsS -o /dev/null --cacert "$state/pki/ca.crt" \
    -H "Authorization: Bearer $(cat "$state/pki/admin.token")" \
    -H 'Content-Type: application/apply-patch+yaml' -X PATCH \
    "$K8S_API_URL$1?fieldManager=make-up&force=true" --data-binary "$2"
}

do_start() {
  if running; then
    say "runs already (pid $(cat "$pid_file"), port $port)"
    return
  fi
  "$control_plane" status >/dev/null 2>&1 || fail "the control plane does not run: make k8s-up"
  [[ -f "$repo_root/services/operator/dist/main.js" ]] || fail "not built: npm run build"
  eval "$("$control_plane" env)"
  eval "$("$repo_root/scripts/stack/env.sh")"
  local crd="$repo_root/k8s/crds/messengerplatforms.platform.messenger.dev.yaml"
  apply /apis/apiextensions.k8s.io/v1/customresourcedefinitions/messengerplatforms.platform.messenger.dev "@$crd"
  apply /api/v1/namespaces/messenger $'apiVersion: v1\nkind: Namespace\nmetadata: {name: messenger}'
  local brokers spec
  brokers="$(printf '%s' "$KAFKA_BROKERS" | sed 's/,/, /g')"
  spec=$'apiVersion: platform.messenger.dev/v1alpha1\nkind: MessengerPlatform\nmetadata: {name: local, namespace: messenger}\nspec:\n  version: 0.1.0\n  external: {kafka: {brokers: ['"$brokers"$']}}'
  [[ -n "${LOCAL_PLATFORM_SPEC_EXTRA:-}" ]] && spec+=$'\n  '"$LOCAL_PLATFORM_SPEC_EXTRA"
  # The CRD needs a moment to be served after its first apply.
  local tries=0
  until apply /apis/platform.messenger.dev/v1alpha1/namespaces/messenger/messengerplatforms/local "$spec" 2>/dev/null; do
    ((tries++ < 40)) || fail "could not apply the MessengerPlatform messenger/local"
    sleep 0.25
  done
  mkdir -p "$(dirname "$pid_file")" "$(dirname "$log_file")"
  (
    cd "$repo_root"
    PORT="$port" WATCH_NAMESPACE=messenger KAFKA_BROKERS="$KAFKA_BROKERS" SESSION_URL="$SESSION_URL" \
      POD_NAME="local-operator" exec node --enable-source-maps services/operator/dist/main.js
  ) >>"$log_file" 2>&1 &
  echo $! >"$pid_file"
  tries=0
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do
    running || fail "the operator exited; see $log_file"
    ((tries++ < 120)) || fail "the operator did not answer on $port; see $log_file"
    sleep 0.25
  done
  say "runs on $port (pid $(cat "$pid_file")), reconciling messenger/local; kubectl get mp -n messenger (KUBECONFIG=$state/admin.kubeconfig); log $log_file"
}

do_stop() {
  if running; then
    local pid
    pid="$(cat "$pid_file")"
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    say "stopped (pid $pid)"
  fi
  rm -f "$pid_file"
}

do_status() {
  if running && curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz"; then
    echo "operator: running on $port (pid $(cat "$pid_file")), ready"
  elif running; then
    echo "operator: running on $port (pid $(cat "$pid_file")), not ready"
    return 1
  else
    echo "operator: stopped"
    return 1
  fi
}

case "${1:-}" in
start) do_start ;;
stop) do_stop ;;
status) do_status ;;
*)
  sed -n '2,12p' "${BASH_SOURCE[0]}"
  exit 2
  ;;
esac
