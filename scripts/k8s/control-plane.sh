#!/usr/bin/env bash
# A real Kubernetes control plane for tests, on loopback: etcd + kube-apiserver +
# kube-controller-manager, built from Go modules (Go module proxy only) and cached.
# There is no scheduler and no kubelet, so pods are admitted but stay Pending.
#
#   scripts/k8s/control-plane.sh build    build the binaries into the cache (idempotent; first time ~20-25 CPU-min),
#                                         and the third-party CRDs the chart's tests install
#   scripts/k8s/control-plane.sh start    build if needed, then start the three processes and wait until ready
#   scripts/k8s/control-plane.sh stop     stop what `start` started (recorded pids only)
#   scripts/k8s/control-plane.sh status   what runs, and the apiserver's /readyz
#   scripts/k8s/control-plane.sh env      shell exports: KUBECONFIG (admin), K8S_API_URL
#   scripts/k8s/control-plane.sh reset    stop, then remove the state (etcd data, certificates, logs)
#   scripts/k8s/control-plane.sh paths    print the cache and state folders
#
# Settings (environment):
#   K8S_VERSION (1.37.2)  ETCD_VERSION (3.6.16)  BUILD_JOBS (2)  WITH_KUBECTL (0; 1 also builds kubectl)
#   MESSENGER_K8S_CACHE  (${XDG_CACHE_HOME:-~/.cache}/messenger-k8s: binaries per version, build folders)
#   MESSENGER_K8S_STATE  (<repo>/.stack/k8s: etcd data, pki, kubeconfigs, logs, pids)
#   K8S_ETCD_PORT (52479) K8S_ETCD_PEER_PORT (52480) K8S_APISERVER_PORT (56543) K8S_KCM_PORT (50357),
#                        each default moved by STACK_PORT_OFFSET (0), as the local stack's ports are
#   K8S_APISERVER_ARGS   extra kube-apiserver flags
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"

K8S_VERSION="${K8S_VERSION:-1.37.2}"
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
BUILD_JOBS="${BUILD_JOBS:-2}"
WITH_KUBECTL="${WITH_KUBECTL:-0}"
cache="${MESSENGER_K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/messenger-k8s}"
state="${MESSENGER_K8S_STATE:-$repo_root/.stack/k8s}"
port_offset="${STACK_PORT_OFFSET:-0}"
etcd_port="${K8S_ETCD_PORT:-$((52479 + port_offset))}"
etcd_peer_port="${K8S_ETCD_PEER_PORT:-$((52480 + port_offset))}"
api_port="${K8S_APISERVER_PORT:-$((56543 + port_offset))}"
kcm_port="${K8S_KCM_PORT:-$((50357 + port_offset))}"
service_cidr=10.0.0.0/24

kube_bin="$cache/bin/kubernetes-v$K8S_VERSION"
etcd_bin="$cache/bin/etcd-v$ETCD_VERSION"
pki="$state/pki"
logs="$state/logs"
pids="$state/pids"

say() { printf '[k8s] %s\n' "$*" >&2; }
fail() {
  say "error: $*"
  exit 1
}

# ------------------------------------------------------------------ build

# A build folder in the cache holding one wrapper module. The checked-in go.mod/go.sum are used
# when they pin the wanted version; otherwise they are generated (and can be committed back).
prepare_module() { # name version-marker generator
  local name="$1" marker="$2" gen="$3" src="$script_dir/modules/$1" dir="$cache/src/$1-$4"
  mkdir -p "$dir"
  cp "$src"/*.go "$dir/"
  if [[ -f "$src/go.mod" && -f "$src/go.sum" ]] && grep -qF "$marker" "$src/go.mod"; then
    cp "$src/go.mod" "$src/go.sum" "$dir/"
  elif [[ ! -f "$dir/go.sum" ]] || ! grep -qF "$marker" "$dir/go.mod"; then
    say "generating the $name wrapper module ($marker)"
    rm -f "$dir/go.mod" "$dir/go.sum"
    "$gen" "$dir"
    (cd "$dir" && go mod tidy)
    say "generated $dir/go.mod and go.sum (copy them to $src to pin them)"
  fi
  printf '%s' "$dir"
}

gen_etcd_mod() {
  printf 'module messenger.local/k8s/etcd\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 v%s\n' "$ETCD_VERSION" >"$1/go.mod"
}

# k8s.io/kubernetes cannot be built as a dependency as published: its go.mod points every
# k8s.io/<staging> module at ./staging/src/..., which is not in the module zip. The wrapper
# requires it and points each of those at the staging module's own release, v0.<minor>.<patch>.
gen_kube_mod() {
  local dir="$1" upstream staging_version="v0.${K8S_VERSION#1.}"
  printf 'module messenger.local/k8s/kube\n\ngo 1.25\n' >"$dir/go.mod"
  upstream="$(cd "$dir" && go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
  [[ -f "$upstream" ]] || fail "go mod download k8s.io/kubernetes@v$K8S_VERSION gave no go.mod"
  {
    printf 'module messenger.local/k8s/kube\n\ngo 1.25\n\nrequire k8s.io/kubernetes v%s\n\nreplace (\n' "$K8S_VERSION"
    grep -E '^[[:space:]]*k8s\.io/[^[:space:]]+ => \./staging/' "$upstream" |
      while read -r module _; do printf '\t%s => %s %s\n' "$module" "$module" "$staging_version"; done
    printf ')\n'
  } >"$dir/go.mod"
}

# Without these the binaries say v0.0.0-master, and Helm refuses charts with a kubeVersion range.
kube_ldflags() {
  local minor="${K8S_VERSION#1.}" v=k8s.io/component-base/version c=k8s.io/client-go/pkg/version f=""
  minor="${minor%%.*}"
  for pkg in "$v" "$c"; do
    f+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  done
  printf '%s' "-s -w$f -X $v.gitTreeState=clean -X $v.gitCommit=go-module-build -X $v.buildDate=2000-01-01T00:00:00Z"
}

go_build() { # module-dir output ldflags package
  local t0=$SECONDS
  (cd "$1" && GOFLAGS="-buildvcs=false -trimpath -mod=mod" go build -p "$BUILD_JOBS" -ldflags="$3" -o "$2.partial" "$4")
  mv -f "$2.partial" "$2"
  say "built $(basename "$2") in $((SECONDS - t0))s"
}

do_build() {
  command -v go >/dev/null || fail "go is not on PATH (Go 1.25+ is needed to build the control plane)"
  mkdir -p "$cache/bin"
  exec 9>"$cache/build.lock"
  flock 9 # one build at a time (make deps and a test run may race)
  local dir t0=$SECONDS
  if [[ ! -x "$etcd_bin/etcd" ]]; then
    dir="$(prepare_module etcd "go.etcd.io/etcd/server/v3 v$ETCD_VERSION" gen_etcd_mod "v$ETCD_VERSION")"
    mkdir -p "$etcd_bin"
    say "building etcd v$ETCD_VERSION"
    go_build "$dir" "$etcd_bin/etcd" "-s -w" .
  fi
  local cmds=(kube-apiserver kube-controller-manager) c
  [[ "$WITH_KUBECTL" == 1 ]] && cmds+=(kubectl)
  for c in "${cmds[@]}"; do
    [[ -x "$kube_bin/$c" ]] && continue
    dir="$(prepare_module kube "k8s.io/kubernetes v$K8S_VERSION" gen_kube_mod "v$K8S_VERSION")"
    mkdir -p "$kube_bin"
    say "building $c v$K8S_VERSION (the first one takes 10-20 min on 2 cores)"
    go_build "$dir" "$kube_bin/$c" "$(kube_ldflags)" "k8s.io/kubernetes/cmd/$c"
  done
  exec 9>&-
  say "binaries ready ($((SECONDS - t0))s): $etcd_bin/etcd, $kube_bin/{kube-apiserver,kube-controller-manager}"
}

built() { [[ -x "$etcd_bin/etcd" && -x "$kube_bin/kube-apiserver" && -x "$kube_bin/kube-controller-manager" ]]; }

# The third-party CRDs the chart's tests install (generated or downloaded once, cached), ready
# before any test's time limit starts.
third_party_crds() {
  "$script_dir/prometheus-operator-crds.sh" >/dev/null
  "$script_dir/gateway-api-crds.sh" >/dev/null
}

# ------------------------------------------------------------------ certificates and credentials

make_pki() {
  [[ -f "$pki/complete" ]] && return
  rm -rf "$pki"
  mkdir -p "$pki"
  chmod 700 "$pki"
  (
    cd "$pki"
    local q="-nodes -newkey rsa:2048"
    openssl req -x509 $q -days 3650 -subj /CN=messenger-test-ca -keyout ca.key -out ca.crt 2>/dev/null
    printf '%s\n' "subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
      "extendedKeyUsage=serverAuth" >server.ext
    openssl req $q -subj /CN=kube-apiserver -keyout server.key -out server.csr 2>/dev/null
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile server.ext -out server.crt 2>/dev/null
    openssl genrsa -out service-accounts.key 2048 2>/dev/null
    openssl rsa -in service-accounts.key -pubout -out service-accounts.pub 2>/dev/null
    # static bearer tokens (token,user,uid,"groups")
    local admin kcm
    admin="$(openssl rand -hex 24)"
    kcm="$(openssl rand -hex 24)"
    printf '%s,admin,uid-admin,"system:masters"\n%s,system:kube-controller-manager,uid-kcm\n' "$admin" "$kcm" >tokens.csv
    printf '%s' "$admin" >admin.token
    printf '%s' "$kcm" >kcm.token
    chmod 600 ./*
    touch complete
  )
}

kubeconfig() { # path user token
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: messenger-test
    cluster:
      server: https://127.0.0.1:$api_port
      certificate-authority: $pki/ca.crt
users:
  - name: $2
    user:
      token: $3
contexts:
  - name: messenger-test
    context:
      cluster: messenger-test
      user: $2
current-context: messenger-test
EOF
  chmod 600 "$1"
}

# ------------------------------------------------------------------ processes

alive() { [[ -f "$pids/$1" ]] && kill -0 "$(cat "$pids/$1")" 2>/dev/null; }

launch() { # name command...
  local name="$1"
  shift
  if alive "$name"; then
    say "$name already running (pid $(cat "$pids/$name"))"
    return
  fi
  nohup "$@" >>"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$pids/$name"
}

await() { # name seconds probe...
  local name="$1" deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    alive "$name" || fail "$name exited; last lines of $logs/$name.log:$(printf '\n')$(tail -5 "$logs/$name.log")"
    ((SECONDS < deadline)) || fail "$name not ready within the time limit (see $logs/$name.log)"
    sleep 0.25
  done
}

api_ready() { curl -fsS --cacert "$pki/ca.crt" -H "Authorization: Bearer $(cat "$pki/admin.token")" "https://127.0.0.1:$api_port/readyz"; }

do_start() {
  built || do_build
  third_party_crds
  mkdir -p "$state/etcd" "$logs" "$pids"
  make_pki
  kubeconfig "$state/admin.kubeconfig" admin "$(cat "$pki/admin.token")"
  kubeconfig "$state/kcm.kubeconfig" system:kube-controller-manager "$(cat "$pki/kcm.token")"
  local t0=$SECONDS

  launch etcd "$etcd_bin/etcd" --name=messenger-test --data-dir="$state/etcd" \
    --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
    --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster="messenger-test=http://127.0.0.1:$etcd_peer_port" \
    --unsafe-no-fsync=true --log-level=warn
  await etcd 60 curl -fsS "http://127.0.0.1:$etcd_port/health"

  # Loopback needs --endpoint-reconciler-type=none (the lease reconciler refuses 127.0.0.1).
  # RBAC is on, with the default admission plugins (ServiceAccount, PodSecurity, ...).
  # shellcheck disable=SC2086
  launch kube-apiserver "$kube_bin/kube-apiserver" --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
    --secure-port="$api_port" --etcd-servers="http://127.0.0.1:$etcd_port" \
    --tls-cert-file="$pki/server.crt" --tls-private-key-file="$pki/server.key" \
    --client-ca-file="$pki/ca.crt" --token-auth-file="$pki/tokens.csv" --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$pki/service-accounts.pub" --service-account-signing-key-file="$pki/service-accounts.key" \
    --service-cluster-ip-range="$service_cidr" --endpoint-reconciler-type=none --profiling=false \
    ${K8S_APISERVER_ARGS:-}
  await kube-apiserver 120 api_ready
  say "kube-apiserver ready on https://127.0.0.1:$api_port ($((SECONDS - t0))s)"

  # The controller-manager makes ServiceAccounts (pods need `default`), tokens, ReplicaSets and
  # pods of Deployments/StatefulSets, and garbage-collects owned objects.
  launch kube-controller-manager "$kube_bin/kube-controller-manager" --kubeconfig="$state/kcm.kubeconfig" \
    --authentication-kubeconfig="$state/kcm.kubeconfig" --authorization-kubeconfig="$state/kcm.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$kcm_port" --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file="$pki/service-accounts.key" --root-ca-file="$pki/ca.crt" \
    --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
    --service-cluster-ip-range="$service_cidr" --allocate-node-cidrs=false
  await kube-controller-manager 60 curl -fsSk "https://127.0.0.1:$kcm_port/healthz"
  say "kube-controller-manager healthy ($((SECONDS - t0))s)"
  do_env
}

do_stop() {
  local name pid
  for name in kube-controller-manager kube-apiserver etcd; do
    if alive "$name"; then
      pid="$(cat "$pids/$name")"
      kill "$pid"
      for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
      done
      if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
      say "stopped $name (pid $pid)"
    fi
    rm -f "$pids/$name"
  done
}

do_status() {
  local name code=0
  for name in etcd kube-apiserver kube-controller-manager; do
    if alive "$name"; then echo "$name: running (pid $(cat "$pids/$name"))"; else
      echo "$name: stopped"
      code=1
    fi
  done
  if [[ -f "$pki/admin.token" ]] && api_ready >/dev/null 2>&1; then echo "readyz: ok"; else
    echo "readyz: unreachable"
    code=1
  fi
  built && echo "binaries: cached in $cache/bin" || echo "binaries: not built"
  return $code
}

do_env() {
  echo "export KUBECONFIG=$state/admin.kubeconfig"
  echo "export K8S_API_URL=https://127.0.0.1:$api_port"
  if [[ -x "$kube_bin/kubectl" ]]; then echo "export PATH=$kube_bin:\$PATH"; fi
}

case "${1:-}" in
build)
  do_build
  third_party_crds
  ;;
start) do_start ;;
stop) do_stop ;;
status) do_status ;;
env) do_env ;;
reset)
  do_stop
  rm -rf "$state"
  ;;
paths) printf 'cache %s\nstate %s\n' "$cache" "$state" ;;
built) built ;;
*)
  sed -n '2,20p' "${BASH_SOURCE[0]}"
  exit 2
  ;;
esac
