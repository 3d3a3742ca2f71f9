#!/usr/bin/env bash
# PostgreSQL of the local stack: start | stop | health.
# Runs as the 'postgres' OS user when invoked as root (PostgreSQL refuses to run as root).
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "$0")/../lib/common.sh"

NAME=postgres
DATA="$DATA_DIR/postgres"
LOG="$(logfile "$NAME")"
SUPERUSER_PASSWORD=postgres
DATABASES=(messenger auth session profile contact search)

as_pg() {
  if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Every folder above the data folder must be traversable by the postgres user.
ensure_traversable() {
  ((EUID == 0)) || return 0
  local d="$DATA_DIR"
  while [[ $d != / ]]; do
    if ! runuser -u postgres -- test -x "$d"; then
      if command -v setfacl >/dev/null 2>&1; then
        setfacl -m u:postgres:x "$d"
      else
        chmod o+x "$d"
      fi
      log "$NAME: made $d traversable for the postgres user"
    fi
    d="$(dirname "$d")"
  done
}

init_cluster() {
  [[ -s $DATA/PG_VERSION ]] && return 0
  local bindir="$1" pwfile="$RUN_DIR/postgres.pw"
  mkdir -p "$DATA"
  chmod 700 "$DATA"
  ((EUID == 0)) && chown postgres:postgres "$DATA"
  ensure_traversable
  printf '%s\n' "$SUPERUSER_PASSWORD" >"$pwfile"
  ((EUID == 0)) && chown postgres "$pwfile"
  chmod 600 "$pwfile"
  log "$NAME: initdb $DATA"
  if ! as_pg "$bindir/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" -E UTF8 --locale=C \
    --auth-host=scram-sha-256 --auth-local=peer --no-sync >>"$LOG" 2>&1; then
    rm -f "$pwfile"
    tail -n 20 "$LOG" >&2
    die "$NAME: initdb failed (log: $LOG)"
  fi
  rm -f "$pwfile"
  echo "include_if_exists = 'stack.conf'" >>"$DATA/postgresql.conf"
}

write_conf() {
  cat >"$DATA/stack.conf" <<CONF
# Written by scripts/stack/servers/postgres.sh on every start.
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
log_line_prefix = '%m [%p] %q%u@%d '
CONF
  ((EUID == 0)) && chown postgres:postgres "$DATA/stack.conf"
  return 0
}

psql_admin() {
  PGPASSWORD="$SUPERUSER_PASSWORD" "$1/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" \
    -U postgres -d postgres
}

ensure_databases() {
  local bindir="$1" list
  list="$(printf "'%s'," "${DATABASES[@]}")"
  psql_admin "$bindir" >>"$LOG" 2>&1 <<SQL
SELECT 'CREATE ROLE messenger LOGIN CREATEDB PASSWORD ''messenger'''
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'messenger')\gexec
SELECT format('CREATE DATABASE %I OWNER messenger', d) FROM unnest(ARRAY[${list%,}]) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d)\gexec
SQL
}

# An external server: create the per-service databases when they are missing and the role may.
ensure_external_databases() {
  command -v psql >/dev/null 2>&1 || return 0
  local d
  for d in "${DATABASES[@]}"; do
    if ! psql -X -q -d "$DATABASE_URL" -tAc "SELECT 1 FROM pg_database WHERE datname = '$d'" 2>/dev/null |
      grep -q 1; then
      psql -X -q -d "$DATABASE_URL" -c "CREATE DATABASE \"$d\"" >/dev/null 2>&1 ||
        warn "$NAME: could not create database '$d' on the external server"
    fi
  done
}

health() {
  if is_external "$NAME"; then
    pg_isready -q -d "$DATABASE_URL"
  else
    "$(pg_bindir)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"
  fi
}

record_pid() { head -n 1 "$DATA/postmaster.pid" >"$(pidfile "$NAME")"; }

start() {
  if is_external "$NAME"; then
    ensure_external_databases
    return 0
  fi
  local bindir t0 old
  bindir="$(pg_bindir)"
  ((EUID != 0)) || id postgres >/dev/null 2>&1 ||
    missing "the 'postgres' OS user" "the Debian package 'postgresql'"
  ensure_dirs
  t0="$(now_ms)"
  if ! health && [[ -s $DATA/postmaster.pid ]]; then
    old="$(head -n 1 "$DATA/postmaster.pid")"
    # A postmaster still starting (or recovering) gets time; a killed one, not reaped yet
    # (a zombie still owns its pid), is waited for so that the new one may take the lock.
    if alive "$old" && [[ "$(cat "/proc/$old/comm" 2>/dev/null)" == postgres ]]; then
      wait_until "$NAME" 60 "$old" health || exit 1
    else
      for _ in $(seq 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  if health; then
    record_pid
    ensure_databases "$bindir" || die "$NAME: could not create the role/databases (log: $LOG)"
    return 0
  fi
  touch "$LOG"
  ((EUID == 0)) && chown postgres "$LOG"
  init_cluster "$bindir"
  write_conf
  if ! as_pg env "$STACK_MARKER" "$bindir/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null; then
    tail -n 30 "$LOG" >&2
    die "$NAME: did not start (log: $LOG)"
  fi
  record_pid
  wait_until "$NAME" 30 "" "$bindir/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || exit 1
  ensure_databases "$bindir" || die "$NAME: could not create the role/databases (log: $LOG)"
  log "$NAME: ready on 127.0.0.1:$PG_PORT in $(since "$t0")"
}

stop() {
  local bindir pid
  bindir="$(pg_bindir 2>/dev/null)" || bindir=""
  if [[ -n $bindir && -s $DATA/PG_VERSION ]] && as_pg "$bindir/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_pg "$bindir/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null ||
      warn "$NAME: pg_ctl stop failed"
  fi
  if pid="$(read_pid "$NAME")"; then stop_pid "$NAME" "$pid" 10; fi
  rm -f "$(pidfile "$NAME")"
}

case "${1:-}" in
start | stop | health) "$1" ;;
*) die "usage: $0 start|stop|health" ;;
esac
