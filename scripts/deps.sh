#!/usr/bin/env bash
# Installs the system prerequisites of the local stack on Debian (idempotent: what is present
# is skipped) and checks the toolchains it does not install.
#   apt: postgresql (server binaries under /usr/lib/postgresql/<ver>/bin), redis-server
#        (+ redis-tools), prometheus (+ promtool), prometheus-alertmanager (+ amtool), curl
#   checked: java 17+, mvn, go 1.24+, node 20.19+ (npm)
# Debian's packages would start their own daemons on their default ports; a temporary
# policy-rc.d forbids that during the install, and nothing relies on systemd.
set -euo pipefail
# shellcheck source=SCRIPTDIR/stack/lib/common.sh
source "$(dirname "$0")/stack/lib/common.sh"

packages=()
(pg_bindir >/dev/null 2>&1) || packages+=(postgresql)
command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || packages+=(redis-tools)
{ command -v prometheus && command -v promtool; } >/dev/null 2>&1 || packages+=(prometheus)
{ command -v prometheus-alertmanager && command -v amtool; } >/dev/null 2>&1 || packages+=(prometheus-alertmanager)
command -v curl >/dev/null 2>&1 || packages+=(curl)
command -v flock >/dev/null 2>&1 || packages+=(util-linux)
command -v patch >/dev/null 2>&1 || packages+=(patch)

if ((${#packages[@]} > 0)); then
  command -v apt-get >/dev/null 2>&1 ||
    die "no apt-get: install these with your system's package manager: ${packages[*]}"
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || die "run as root to install: ${packages[*]}"
    sudo=(sudo)
  fi
  log "installing: ${packages[*]}"
  # Forbid the packages' maintainer scripts to start services (exit 101 = "not allowed").
  guard=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$guard" >/dev/null
    "${sudo[@]}" chmod 755 "$guard"
    trap '"${sudo[@]}" rm -f "$guard"' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"
else
  log "system packages: present (postgresql, redis-server, redis-tools, prometheus, prometheus-alertmanager, curl, patch)"
fi

# A daemon a package started anyway (no policy-rc.d guard, no systemd) must not hold our ports.
for port in "$PG_PORT" "$REDIS_PORT" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$MONGO_PORT" "$PROMETHEUS_PORT" \
  "$ALERTMANAGER_PORT" "$JAEGER_QUERY_PORT" "$JAEGER_QUERY_GRPC_PORT" "$JAEGER_OTLP_GRPC_PORT" "$JAEGER_OTLP_HTTP_PORT" "$S3_PORT"; do
  if command -v ss >/dev/null 2>&1 && ss -Hltn "sport = :$port" | grep -q .; then
    mapfile -t ours < <(our_pids)
    holder="$(ss -Hltnp "sport = :$port" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1)"
    if [[ -n $holder && " ${ours[*]} " != *" $holder "* ]]; then
      warn "port $port is held by pid $holder ($(cat "/proc/$holder/comm" 2>/dev/null)), not by the stack"
    fi
  fi
done

# Toolchains: checked, not installed.
problems=()
if ! command -v java >/dev/null 2>&1; then
  problems+=("java 17+: apt-get install openjdk-17-jre-headless")
elif (($(java_major || echo 0) < 17)); then
  problems+=("java 17+ (found $(java_major)): apt-get install openjdk-17-jre-headless")
fi
command -v mvn >/dev/null 2>&1 || problems+=("mvn: apt-get install maven")
if command -v go >/dev/null 2>&1; then
  gov="$(go env GOVERSION 2>/dev/null | sed 's/^go//')"
  if [[ "$(printf '%s\n' 1.24 "$gov" | sort -V | head -n 1)" != 1.24 ]]; then
    problems+=("go 1.24+ (found $gov; needed to build FerretDB unless a mongod is on PATH): https://go.dev/dl/")
  fi
elif ! command -v mongod >/dev/null 2>&1; then
  problems+=("go 1.24+ (needed to build FerretDB unless a mongod is on PATH): https://go.dev/dl/")
fi
if command -v node >/dev/null 2>&1; then
  nodev="$(node -p 'process.versions.node')"
  if [[ "$(printf '%s\n' 20.19.0 "$nodev" | sort -V | head -n 1)" != 20.19.0 ]]; then
    problems+=("node 20.19+ (found $nodev): https://nodejs.org")
  fi
else
  problems+=("node 20.19+ with npm: https://nodejs.org")
fi

if ((${#problems[@]} > 0)); then
  printf '[stack] ERROR: install these yourself:\n' >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi
log "java $(java_major), $(mvn -v 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g'), $(go version 2>/dev/null | cut -d' ' -f3), node $(node -v): present"
if command -v mongod >/dev/null 2>&1; then log "mongod: $(command -v mongod)"; else log "mongod: absent, FerretDB $FERRETDB_VERSION is used"; fi
log "deps: ok"
