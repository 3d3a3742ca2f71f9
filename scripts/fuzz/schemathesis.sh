#!/usr/bin/env bash
# schemathesis (PyPI) in a cached virtualenv:
#   scripts/fuzz/schemathesis.sh install      create or complete the virtualenv (idempotent)
#   scripts/fuzz/schemathesis.sh run ARGS...  `schemathesis run ARGS...` (installs first)
# The virtualenv lives under ${XDG_CACHE_HOME:-~/.cache}/messenger-fuzz, one per pinned version;
# one without its .complete mark (a failed or interrupted install) is made again.
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/messenger-fuzz"
VENV="$CACHE/schemathesis-$SCHEMATHESIS_VERSION"

log() { printf '[fuzz] %s\n' "$*" >&2; }

install() {
  [[ -f $VENV/.complete ]] && return 0
  command -v python3 >/dev/null 2>&1 || {
    log "ERROR: python3 (3.9+) with venv is missing: apt-get install python3 python3-venv"
    exit 1
  }
  mkdir -p "$CACHE"
  exec 8>"$CACHE/install.lock"
  flock -w 600 8 || {
    log "ERROR: another install holds $CACHE/install.lock"
    exit 1
  }
  [[ -f $VENV/.complete ]] && return 0
  # A virtualenv cannot be moved (its scripts name its path): one left incomplete is made again.
  rm -rf "$VENV"
  log "installing schemathesis $SCHEMATHESIS_VERSION from PyPI into $VENV"
  python3 -m venv "$VENV"
  if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "schemathesis==$SCHEMATHESIS_VERSION" >&2; then
    rm -rf "$VENV"
    log "ERROR: pip could not install schemathesis $SCHEMATHESIS_VERSION"
    exit 1
  fi
  touch "$VENV/.complete"
}

case "${1:-}" in
install) install ;;
run)
  shift
  install
  exec "$VENV/bin/schemathesis" run "$@"
  ;;
*)
  log "usage: $0 install | run ARGS..."
  exit 2
  ;;
esac
