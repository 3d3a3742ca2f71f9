#!/usr/bin/env bash
# The MongoDB-compatible server of the local stack: start | stop | health | prepare.
# A `mongod` on PATH when there is one, otherwise FerretDB v1, built once from its Go module into
# the cache, on its PostgreSQL backend: the database `ferretdb` (created here when missing) of the
# stack's PostgreSQL, or of the external one DATABASE_URL names, so start waits for PostgreSQL.
# STACK_FERRETDB_BACKEND=sqlite keeps FerretDB's data in SQLite files under .stack/data instead.
# FerretDB v1 applies an update by reading the document and writing it back whole: concurrent
# updates of one document may lose each other (packages/platform/src/mongo-conformance.int.test.ts).
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "$0")/../lib/common.sh"

NAME=mongo
DATA="$DATA_DIR/mongo"

# FerretDB from the Go module proxy. `go install ...@v1.24.2` does not work through the proxy
# here (its deprecation check asks for the version list), so download the module and build a
# copy of it: the binary panics at start unless build/version/version.txt (generated from git
# in FerretDB's own build, absent from the module) names the version.
#
# One patch (ferretdb-index-pushdown.patch): FerretDB v1 pushes an equality down to PostgreSQL
# as a jsonb containment (`_jsonb->'_id' @> ...`), which no btree index serves, so every lookup
# by `_id` scanned the whole table (67 ms at 200,000 documents, growing with the collection),
# and so did every find by an indexed field (a chat's members, a user's chats). The patch
# compares the field's expression, which FerretDB's indexes are built on (as its updates already
# do for `_id`): for `_id` (never an array) and for a string on a plain top-level field. The
# latter no longer matches a document whose field is an array holding the string, as MongoDB
# would; messaging's collections keep no array in a field they filter by equality. It also
# pushes a string bound on `_id` ($gt, $gte, $lt, $lte) down as a comparison of that expression,
# so an `_id` range (a page of a chat's messages, its changes, a page's reactions) is an index
# range, as on MongoDB, not a scan of the collection; FerretDB filters the rows again, and under
# the cluster's C collation jsonb orders strings bytewise as it does. Nothing else
# in FerretDB changes: updates stay non-atomic (packages/platform/src/mongo-conformance.int.test.ts).
prepare() {
  command -v mongod >/dev/null 2>&1 && return 0
  [[ -x $FERRETDB_BIN ]] && return 0
  need_cmd go "Go 1.24+ (https://go.dev/dl/), needed to build FerretDB $FERRETDB_VERSION"
  local t0 dir src
  t0="$(now_ms)"
  log "$NAME: building FerretDB v$FERRETDB_VERSION into $FERRETDB_BIN (once; a minute or more)"
  dir="$(go mod download -json "github.com/FerretDB/FerretDB@v$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -n $dir && -d $dir ]] || die "$NAME: could not download the FerretDB module"
  mkdir -p "$CACHE_DIR/bin"
  src="$(mktemp -d "$CACHE_DIR/ferretdb-src.XXXXXX")"
  cp -R "$dir/." "$src/"
  chmod -R u+w "$src"
  echo "v$FERRETDB_VERSION" >"$src/build/version/version.txt"
  echo "messenger-stack" >"$src/build/version/package.txt"
  if ! patch -s -d "$src" -p1 <"$FERRETDB_PATCH" >&2; then
    rm -rf "$src"
    die "$NAME: $FERRETDB_PATCH does not apply to FerretDB $FERRETDB_VERSION"
  fi
  if ! (cd "$src" && GOFLAGS=-buildvcs=false go build -trimpath -o "$src/ferretdb.bin" ./cmd/ferretdb) >&2; then
    rm -rf "$src"
    die "$NAME: building FerretDB failed"
  fi
  mv "$src/ferretdb.bin" "$FERRETDB_BIN"
  rm -rf "$src"
  "$FERRETDB_BIN" --version | grep -q "v$FERRETDB_VERSION" || die "$NAME: the FerretDB build does not run"
  log "$NAME: FerretDB built in $(since "$t0")"
}

health() { probe mongo "$(server_url "$NAME")"; }

backend() {
  case "${STACK_FERRETDB_BACKEND:-postgresql}" in
  postgresql | sqlite) echo "${STACK_FERRETDB_BACKEND:-postgresql}" ;;
  *) die "$NAME: STACK_FERRETDB_BACKEND must be postgresql or sqlite" ;;
  esac
}

# psql_to URL ARGS...: psql of the stack's PostgreSQL binaries (or the one on PATH), quiet.
psql_to() {
  local url="$1" bin
  shift
  if is_external postgres; then bin="$(command -v psql)" || return 1; else bin="$(pg_bindir)/psql"; fi
  "$bin" -X -q -v ON_ERROR_STOP=1 -d "$url" "$@"
}

# ensure_pg_database: wait until PostgreSQL takes logins (servers/postgres.sh may still be
# starting it, in parallel), then create FerretDB's database when it is missing.
ensure_pg_database() {
  local pg_url exists="SELECT 1 FROM pg_database WHERE datname = '$FERRETDB_PG_DATABASE'"
  pg_url="$(server_url postgres)"
  if is_external postgres; then need_cmd psql "the Debian package 'postgresql-client'"; fi
  if ! wait_until postgres 90 "" psql_to "$pg_url" -tAc 'SELECT 1'; then
    die "$NAME: FerretDB needs PostgreSQL at $pg_url (scripts/stack/up.sh servers starts it)"
  fi
  psql_to "$pg_url" -tAc "$exists" | grep -q 1 && return 0
  psql_to "$pg_url" -c "CREATE DATABASE \"$FERRETDB_PG_DATABASE\"" >/dev/null 2>&1 && return 0
  # Another start may have created it in the meantime.
  psql_to "$pg_url" -tAc "$exists" | grep -q 1 ||
    die "$NAME: could not create the PostgreSQL database '$FERRETDB_PG_DATABASE' at $pg_url"
}

# The backend of the FerretDB that runs (from its command line), or nothing.
running_backend() {
  local pid words=()
  pid="$(read_pid "$NAME")" || return 0
  mapfile -d '' -t words 2>/dev/null <"/proc/$pid/cmdline" || return 0
  case " ${words[*]} " in
  *" --handler=postgresql "*) echo postgresql ;;
  *" --handler=sqlite "*) echo sqlite ;;
  esac
}

start() {
  is_external "$NAME" && return 0
  need_cmd node "Node.js 20.19+"
  ensure_dirs
  local t0
  if health >/dev/null 2>&1; then
    if ! read_pid "$NAME" >/dev/null; then
      warn "$NAME: something already answers on port $MONGO_PORT; using it"
    elif ! command -v mongod >/dev/null 2>&1 && [[ -n "$(running_backend)" && "$(running_backend)" != "$(backend)" ]]; then
      warn "$NAME: FerretDB runs on its $(running_backend) backend, not $(backend); scripts/stack/down.sh, then up.sh, switches"
    fi
    return 0
  fi
  t0="$(now_ms)"
  prepare
  if command -v mongod >/dev/null 2>&1; then
    mkdir -p "$DATA/mongod"
    spawn "$NAME" "$DATA" mongod --dbpath "$DATA/mongod" --bind_ip 127.0.0.1 --port "$MONGO_PORT"
  elif [[ "$(backend)" == sqlite ]]; then
    mkdir -p "$DATA/ferretdb"
    spawn "$NAME" "$DATA" "$FERRETDB_BIN" --handler=sqlite --sqlite-url="file:$DATA/ferretdb/" \
      --state-dir="$DATA" --listen-addr="127.0.0.1:$MONGO_PORT" --debug-addr=- \
      --telemetry=disable --log-level=info
  else
    mkdir -p "$DATA"
    ensure_pg_database
    spawn "$NAME" "$DATA" "$FERRETDB_BIN" --handler=postgresql \
      --postgresql-url="$(with_db "$(server_url postgres)" "$FERRETDB_PG_DATABASE")" \
      --state-dir="$DATA" --listen-addr="127.0.0.1:$MONGO_PORT" --debug-addr=- \
      --telemetry=disable --log-level=info
  fi
  wait_until "$NAME" 30 "$(recorded_pid "$NAME")" health || exit 1
  log "$NAME: ready on 127.0.0.1:$MONGO_PORT in $(since "$t0")"
}

stop() { stop_server "$NAME" 15; }

case "${1:-}" in
prepare | start | stop | health) "$1" ;;
*) die "usage: $0 prepare|start|stop|health" ;;
esac
