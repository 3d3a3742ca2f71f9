# shellcheck shell=bash disable=SC2034  # a library: its variables are used by the scripts
# Shared settings and helpers of the local stack scripts (sourced, never run).
# Layout: docs/conventions.md ("Local stack"). Data, logs, pid files and generated
# configuration live under .stack/; downloaded tools under the user's cache folder.

STACK_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$STACK_LIB/../../.." && pwd)"
STACK_DIR="$ROOT/.stack"
DATA_DIR="$STACK_DIR/data"
LOG_DIR="$STACK_DIR/logs"
RUN_DIR="$STACK_DIR/run"
CONF_DIR="$STACK_DIR/conf"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/messenger-stack"
# Every process the stack spawns carries this variable; down.sh finds strays by it.
STACK_MARKER="MESSENGER_STACK_DIR=$STACK_DIR"

# STACK_PORT_OFFSET (default 0) is added to every port of the stack, servers and service
# instances alike, so that a second clone runs a complete stack of its own beside this one.
PORT_OFFSET="${STACK_PORT_OFFSET:-0}"
if [[ ! $PORT_OFFSET =~ ^[0-9]+$ ]] || ((PORT_OFFSET > 5000)); then
  printf '[stack] ERROR: STACK_PORT_OFFSET=%s is not a number from 0 to 5000\n' "$PORT_OFFSET" >&2
  exit 1
fi
PG_PORT=$((55432 + PORT_OFFSET))
REDIS_PORT=$((56379 + PORT_OFFSET))
KAFKA_PORT=$((59092 + PORT_OFFSET))
KAFKA_CONTROLLER_PORT=$((59093 + PORT_OFFSET))
MONGO_PORT=$((57017 + PORT_OFFSET))
PROMETHEUS_PORT=$((59090 + PORT_OFFSET))
ALERTMANAGER_PORT=$((59095 + PORT_OFFSET))
SMTP_SINK_PORT=$((51025 + PORT_OFFSET))
SMTP_SINK_HTTP_PORT=$((51080 + PORT_OFFSET))
JAEGER_QUERY_PORT=$((56686 + PORT_OFFSET))
JAEGER_QUERY_GRPC_PORT=$((56685 + PORT_OFFSET))
JAEGER_OTLP_GRPC_PORT=$((54317 + PORT_OFFSET))
JAEGER_OTLP_HTTP_PORT=$((54318 + PORT_OFFSET))
S3_PORT=$((57070 + PORT_OFFSET))

KAFKA_VERSION=3.9.2
KAFKA_LIBS="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"
FERRETDB_VERSION=1.24.2
# The build carries scripts/stack/servers/ferretdb-index-pushdown.patch; the binary's name follows it.
FERRETDB_PATCH="$ROOT/scripts/stack/servers/ferretdb-index-pushdown.patch"
FERRETDB_BIN="$CACHE_DIR/bin/ferretdb-$FERRETDB_VERSION-$(sha256sum "$FERRETDB_PATCH" | cut -c1-12)"
# FerretDB's PostgreSQL backend keeps its data in this database of the stack's PostgreSQL.
FERRETDB_PG_DATABASE=ferretdb
JAEGER_VERSION=1.76.0
JAEGER_BIN="$CACHE_DIR/bin/jaeger-$JAEGER_VERSION"
VERSITYGW_VERSION=1.8.0
VERSITYGW_BIN="$CACHE_DIR/bin/versitygw-$VERSITYGW_VERSION"

# The URLs of the locally started servers (docs/conventions.md).
LOCAL_DATABASE_URL="postgres://messenger:messenger@127.0.0.1:$PG_PORT/messenger"
LOCAL_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
LOCAL_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
LOCAL_MONGO_URL="mongodb://127.0.0.1:$MONGO_PORT/messenger"
LOCAL_PROMETHEUS_URL="http://127.0.0.1:$PROMETHEUS_PORT"
LOCAL_ALERTMANAGER_URL="http://127.0.0.1:$ALERTMANAGER_PORT"
LOCAL_SMTP_SINK_URL="http://127.0.0.1:$SMTP_SINK_HTTP_PORT"
# Jaeger's query API and UI; the services send it their spans at LOCAL_OTLP_ENDPOINT.
LOCAL_JAEGER_URL="http://127.0.0.1:$JAEGER_QUERY_PORT"
LOCAL_OTLP_ENDPOINT="http://127.0.0.1:$JAEGER_OTLP_HTTP_PORT"
# The S3 API (versitygw) and its one local user; env.sh exports them as S3_ENDPOINT, S3_REGION,
# S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY.
LOCAL_S3_URL="http://127.0.0.1:$S3_PORT"
LOCAL_S3_REGION=us-east-1
LOCAL_S3_ACCESS_KEY=messenger-local
LOCAL_S3_SECRET_KEY=messenger-local-secret

# Backing servers: name, the variable that points at an external one, its local value.
SERVERS=(postgres redis kafka mongo prometheus alertmanager smtp jaeger s3)
declare -A SERVER_VAR=([postgres]=DATABASE_URL [redis]=REDIS_URL [kafka]=KAFKA_BROKERS
  [mongo]=MONGO_URL [prometheus]=PROMETHEUS_URL [smtp]=SMTP_SINK_URL [jaeger]=JAEGER_URL
  [alertmanager]=ALERTMANAGER_URL [s3]=S3_ENDPOINT)
declare -A SERVER_LOCAL=([postgres]="$LOCAL_DATABASE_URL" [redis]="$LOCAL_REDIS_URL"
  [kafka]="$LOCAL_KAFKA_BROKERS" [mongo]="$LOCAL_MONGO_URL" [prometheus]="$LOCAL_PROMETHEUS_URL"
  [smtp]="$LOCAL_SMTP_SINK_URL" [jaeger]="$LOCAL_JAEGER_URL" [alertmanager]="$LOCAL_ALERTMANAGER_URL"
  [s3]="$LOCAL_S3_URL")

# Service instances: "instance:port:service folder", from the one list of the services
# (packages/contracts/src/services.json): instance n listens on the service's port + n - 1 (plus
# the offset) and is named <service>-<n> from the second on.
mapfile -t INSTANCES < <(node -e '
  const offset = Number(process.argv[2]);
  for (const [name, { port, localInstances }] of Object.entries(require(process.argv[1])))
    for (let n = 1; n <= localInstances; n += 1)
      console.log(`${n === 1 ? name : `${name}-${n}`}:${port + n - 1 + offset}:${name}`);
' "$ROOT/packages/contracts/src/services.json" "$PORT_OFFSET")
if ((${#INSTANCES[@]} == 0)); then
  printf '[stack] ERROR: no service instances read from packages/contracts/src/services.json\n' >&2
  exit 1
fi

# local_urls SERVICE: the comma-separated addresses of the service's local instances.
local_urls() {
  local entry port svc urls=()
  for entry in "${INSTANCES[@]}"; do
    IFS=: read -r _ port svc <<<"$entry"
    [[ $svc == "$1" ]] && urls+=("http://127.0.0.1:$port")
  done
  (
    IFS=,
    echo "${urls[*]}"
  )
}

log() { printf '[stack] %s\n' "$*" >&2; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[stack] ERROR: %s\n' "$*" >&2
  exit 1
}

# missing WHAT INSTALL: the one message for an absent prerequisite.
missing() { die "$1 is missing: run 'make deps' (scripts/deps.sh), or install $2"; }

need_cmd() { command -v "$1" >/dev/null 2>&1 || missing "'$1'" "$2"; }

# The directory of the newest PostgreSQL server binaries (Debian keeps them off PATH).
pg_bindir() {
  local d
  if [[ -n ${PG_BINDIR:-} && -x $PG_BINDIR/initdb ]]; then
    echo "$PG_BINDIR"
    return
  fi
  # An existing cluster keeps the major version that created it.
  if [[ -s $DATA_DIR/postgres/PG_VERSION ]]; then
    d="/usr/lib/postgresql/$(<"$DATA_DIR/postgres/PG_VERSION")/bin"
    if [[ -x $d/pg_ctl ]]; then
      echo "$d"
      return
    fi
  fi
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    if [[ -x $d/initdb && -x $d/pg_ctl ]]; then
      echo "$d"
      return
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  missing "PostgreSQL (initdb, pg_ctl)" "the Debian package 'postgresql'"
}

# is_external NAME: true when the server's variable points somewhere else than the local default.
is_external() {
  local var="${SERVER_VAR[$1]}"
  [[ -n ${!var:-} && ${!var} != "${SERVER_LOCAL[$1]}" ]]
}

# server_url NAME: the URL the stack hands out for the server (external or local).
server_url() {
  local var="${SERVER_VAR[$1]}"
  if is_external "$1"; then echo "${!var}"; else echo "${SERVER_LOCAL[$1]}"; fi
}

# with_db URL NAME: the URL with its database (path) replaced by NAME, query kept.
with_db() {
  local url="$1" name="$2" query=""
  if [[ $url == *\?* ]]; then query="?${url#*\?}" url="${url%%\?*}"; fi
  local scheme="${url%%://*}" rest="${url#*://}"
  echo "$scheme://${rest%%/*}/$name$query"
}

# offset_config FILE NAME: the configuration file to start a server with: FILE itself, or with
# STACK_PORT_OFFSET set, a copy in .stack/conf/NAME/ whose every 127.0.0.1:PORT is moved by it.
offset_config() {
  if ((PORT_OFFSET == 0)); then
    echo "$1"
    return
  fi
  local copy
  copy="$CONF_DIR/$2/$(basename "$1")"
  mkdir -p "$(dirname "$copy")"
  OFFSET="$PORT_OFFSET" perl -pe 's/127\.0\.0\.1:(\d+)/"127.0.0.1:" . ($1 + $ENV{OFFSET})/ge' "$1" >"$copy"
  echo "$copy"
}

now_ms() { date +%s%3N; }
since() { local ms=$(($(now_ms) - $1)); printf '%d.%01ds' $((ms / 1000)) $((ms % 1000 / 100)); }

# alive PID: the process exists and is not a zombie waiting for its reaper.
alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ ${stat:0:1} != Z && ${stat:0:1} != X ]]
}

pidfile() { echo "$RUN_DIR/$1.pid"; }
logfile() { echo "$LOG_DIR/$1.log"; }

# read_pid NAME: the recorded pid when that process is alive and the stack's, else nothing (false).
read_pid() {
  local f pid
  f="$(pidfile "$1")"
  [[ -s $f ]] || return 1
  pid="$(<"$f")"
  [[ $pid =~ ^[0-9]+$ ]] && is_ours "$pid" || return 1
  echo "$pid"
}

# recorded_pid NAME: whatever the pid file says (alive or not).
recorded_pid() { cat "$(pidfile "$1")" 2>/dev/null || true; }

ensure_dirs() { mkdir -p "$DATA_DIR" "$LOG_DIR" "$RUN_DIR" "$CONF_DIR" "$CACHE_DIR"; }

# spawn NAME DIR CMD...: run CMD in the background, in its own session, with DIR as working
# directory, output appended to the log, and record its pid.
spawn() {
  local name="$1" dir="$2"
  shift 2
  local log
  log="$(logfile "$name")"
  printf '\n=== %s starting: %s\n' "$(date -Is)" "$*" >>"$log"
  (cd "$dir" && exec env "$STACK_MARKER" setsid "$@" >>"$log" 2>&1 </dev/null) &
  echo $! >"$(pidfile "$name")"
}

# wait_until NAME TIMEOUT_S PID CHECK...: poll CHECK until it succeeds; fail early when PID
# (if not empty) exits, and on failure show the tail of the log.
wait_until() {
  local name="$1" timeout="$2" pid="$3"
  shift 3
  local deadline=$(($(now_ms) + timeout * 1000))
  while ! "$@" >/dev/null 2>&1; do
    if [[ -n $pid ]] && ! alive "$pid"; then
      warn "$name exited during start-up; last lines of $(logfile "$name"):"
      tail -n 40 "$(logfile "$name")" >&2 || true
      return 1
    fi
    if (($(now_ms) > deadline)); then
      warn "$name did not answer within ${timeout}s; last lines of $(logfile "$name"):"
      tail -n 40 "$(logfile "$name")" >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

# stop_pid NAME PID TIMEOUT_S: SIGTERM, wait, then SIGKILL after the deadline.
stop_pid() {
  local name="$1" pid="$2" timeout="$3"
  kill -TERM "$pid" 2>/dev/null || return 0
  local deadline=$(($(now_ms) + timeout * 1000))
  while alive "$pid"; do
    if (($(now_ms) > deadline)); then
      warn "$name (pid $pid) ignored SIGTERM for ${timeout}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
}

# already_up NAME PORT: true when the server answers (the calling script's `health`); warns when
# what answers on PORT is not a process the stack started, which is then used as it is.
already_up() {
  health >/dev/null 2>&1 || return 1
  read_pid "$1" >/dev/null || warn "$1: something already answers on port $2; using it"
}

# stop_server NAME TIMEOUT_S: stops the server process the stack started under NAME (stop_pid)
# and removes its pid file.
stop_server() {
  local pid
  if pid="$(read_pid "$1")"; then stop_pid "$1" "$pid" "$2"; fi
  rm -f "$(pidfile "$1")"
}

# is_ours PID: a live process the stack started: it carries the marker variable, runs inside
# .stack/data, or names .stack/data or .stack/conf on its command line.
is_ours() {
  local p="/proc/$1" cwd words=()
  alive "$1" || return 1
  mapfile -d '' -t words 2>/dev/null <"$p/environ" || words=()
  [[ " ${words[*]} " == *" $STACK_MARKER "* ]] && return 0
  mapfile -d '' -t words 2>/dev/null <"$p/cmdline" || words=()
  [[ "${words[*]}" == *"$DATA_DIR/"* || "${words[*]}" == *"$CONF_DIR/"* ]] && return 0
  cwd="$(readlink "$p/cwd" 2>/dev/null)" || return 1
  [[ $cwd == "$DATA_DIR"/* ]]
}

# our_pids: every process of the stack still alive (shells and pagers excluded).
our_pids() {
  local p pid comm
  for p in /proc/[0-9]*; do
    pid="${p#/proc/}"
    [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
    read -r comm 2>/dev/null <"$p/comm" || continue
    case "$comm" in bash | sh | dash | zsh | fish | tail | less | grep | make) continue ;; esac
    if is_ours "$pid"; then echo "$pid"; fi
  done
  return 0
}

# http_ok URL: a 2xx answer within 2 seconds.
http_ok() { curl -fs -o /dev/null -m 2 "$1"; }

# probe KIND TARGET: a protocol-level check with no npm dependency (lib/probe.mjs).
probe() { node "$STACK_LIB/probe.mjs" "$@"; }

# java_major: the major version of `java` on PATH (8 for "1.8.0", 17 for "17.0.15"), or nothing.
java_major() {
  local v
  v="$(java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9.]*\).*/\1/p' | head -n 1)"
  [[ $v == 1.* ]] && v="${v#1.}"
  echo "${v%%.*}"
}

# check_prereqs MODE: one message naming every missing tool the locally started parts need.
check_prereqs() {
  local mode="$1" miss=()
  command -v node >/dev/null 2>&1 || miss+=("node: Node.js 20.19+ (https://nodejs.org)")
  command -v curl >/dev/null 2>&1 || miss+=("curl: apt-get install curl")
  if ! is_external postgres; then
    (pg_bindir >/dev/null 2>&1) || miss+=("PostgreSQL server (initdb, pg_ctl): apt-get install postgresql")
    if ((EUID == 0)) && ! id postgres >/dev/null 2>&1; then
      miss+=("the 'postgres' OS user: apt-get install postgresql")
    fi
  fi
  if ! is_external redis; then
    command -v redis-server >/dev/null 2>&1 || miss+=("redis-server: apt-get install redis-server")
    command -v redis-cli >/dev/null 2>&1 || miss+=("redis-cli: apt-get install redis-tools")
  fi
  if ! is_external kafka; then
    if ! command -v java >/dev/null 2>&1; then
      miss+=("java 17+: apt-get install openjdk-17-jre-headless")
    elif (($(java_major || echo 0) < 17)); then
      miss+=("java 17+ (found $(java_major)): apt-get install openjdk-17-jre-headless")
    fi
    [[ -f $KAFKA_LIBS/.complete ]] || command -v mvn >/dev/null 2>&1 ||
      miss+=("mvn (to fetch Kafka $KAFKA_VERSION once): apt-get install maven")
  fi
  if ! is_external mongo && ! command -v mongod >/dev/null 2>&1 && [[ ! -x $FERRETDB_BIN ]]; then
    command -v go >/dev/null 2>&1 ||
      miss+=("go 1.24+ (to build FerretDB $FERRETDB_VERSION once; or put a mongod on PATH): https://go.dev/dl/")
  fi
  if ! is_external jaeger && [[ ! -x $JAEGER_BIN ]]; then
    command -v go >/dev/null 2>&1 || miss+=("go 1.24+ (to build Jaeger $JAEGER_VERSION once): https://go.dev/dl/")
  fi
  if ! is_external s3 && [[ ! -x $VERSITYGW_BIN ]]; then
    command -v go >/dev/null 2>&1 || miss+=("go 1.25+ (to build versitygw $VERSITYGW_VERSION once): https://go.dev/dl/")
  fi
  if ! is_external prometheus; then
    command -v prometheus >/dev/null 2>&1 || miss+=("prometheus: apt-get install prometheus")
  fi
  if ! is_external alertmanager; then
    command -v prometheus-alertmanager >/dev/null 2>&1 ||
      miss+=("prometheus-alertmanager: apt-get install prometheus-alertmanager")
  fi
  if [[ $mode == all ]]; then
    command -v npm >/dev/null 2>&1 || miss+=("npm: comes with Node.js 20.19+")
  fi
  ((${#miss[@]} == 0)) && return 0
  printf '[stack] ERROR: missing prerequisites (%s installs them):\n' "'make deps'" >&2
  printf '  - %s\n' "${miss[@]}" >&2
  exit 1
}

# go_build_once NAME PACKAGE VERSION BIN CHECK_ARG: builds the Go program PACKAGE at vVERSION
# from the Go module proxy into BIN, once (a later call finds BIN and returns at once). A scratch
# module records PACKAGE as a tool, with the versions its module requires, as `go install
# PACKAGE@vVERSION` would take them; unlike `go install`, this also builds a module whose go.mod
# has a replace directive (Jaeger's). Two builds at once (make deps and make up, say) would both
# compile: the second waits on $CACHE_DIR/NAME-build.lock, then finds BIN. Built in a private
# folder, removed however the build ends, and moved into place whole; `BIN CHECK_ARG` must run.
go_build_once() {
  local name="$1" package="$2" version="$3" bin="$4" check="$5"
  [[ -x $bin ]] && return 0
  mkdir -p "$CACHE_DIR" "$(dirname "$bin")"
  exec 8>"$CACHE_DIR/$name-build.lock"
  flock -w 1800 8 || die "$name: another build holds $CACHE_DIR/$name-build.lock"
  if [[ ! -x $bin ]]; then
    need_cmd go "Go (https://go.dev/dl/), needed to build $name v$version once"
    local t0 tmp
    t0="$(now_ms)"
    log "$name: building v$version into $bin (once; minutes on 2 cores)"
    tmp="$(mktemp -d "$CACHE_DIR/$name-build.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    # `go get` names every module it adds: shown only when it fails.
    if ! (cd "$tmp" && go mod init "messenger-stack/$name" >/dev/null 2>&1 &&
      { go get -tool "$package@v$version" >get.log 2>&1 || { cat get.log >&2 && false; }; } &&
      GOFLAGS=-buildvcs=false go build -trimpath -o "$tmp/$name" "$package" >&2); then
      die "$name: building $package@v$version failed"
    fi
    mv "$tmp/$name" "$bin"
    rm -rf "$tmp"
    trap - EXIT
    "$bin" "$check" >/dev/null 2>&1 || die "$name: the build in $bin does not run"
    log "$name: built in $(since "$t0")"
  fi
  exec 8>&-
}

# with_lock: serialise up/down; the lock descriptor (9) is not passed to what they start.
with_lock() {
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/stack.lock"
  flock -w 900 9 || die "another scripts/stack/up.sh or down.sh holds $RUN_DIR/stack.lock"
}
