#!/usr/bin/env bash
# Prints `export VAR=...` lines for everything a service or a test needs to reach the stack:
#   eval "$(scripts/stack/env.sh)"
# A variable that is already set (an external server or URL) is kept; the rest get the local
# stack's defaults (docs/conventions.md).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

# emit VAR VALUE: one export line, the value single-quoted for the shell.
emit() { printf "export %s='%s'\n" "$1" "${2//\'/\'\\\'\'}"; }

for s in "${SERVERS[@]}"; do emit "${SERVER_VAR[$s]}" "$(server_url "$s")"; done
emit GATEWAY_URL "${GATEWAY_URL:-$(local_urls gateway)}"
emit AUTH_URL "${AUTH_URL:-$(local_urls auth)}"
emit SESSION_URL "${SESSION_URL:-$(local_urls session)}"
emit PROFILE_URL "${PROFILE_URL:-$(local_urls profile)}"
emit CONTACT_URL "${CONTACT_URL:-$(local_urls contact)}"
emit MESSAGING_URLS "${MESSAGING_URLS:-$(local_urls messaging)}"
emit SEARCH_URL "${SEARCH_URL:-$(local_urls search)}"
# The services send their spans to the stack's Jaeger (JAEGER_URL is its query API); set to
# the empty string (a benchmark without tracing), they export nothing.
emit OTEL_EXPORTER_OTLP_ENDPOINT "${OTEL_EXPORTER_OTLP_ENDPOINT-$LOCAL_OTLP_ENDPOINT}"
# auth mails the stack's SMTP sink.
emit SMTP_URL "${SMTP_URL:-smtp://127.0.0.1:$SMTP_SINK_PORT}"
# The S3 server's credentials go with S3_ENDPOINT: the local user, or an external one's as set.
emit S3_REGION "${S3_REGION:-$LOCAL_S3_REGION}"
emit S3_ACCESS_KEY_ID "${S3_ACCESS_KEY_ID:-$LOCAL_S3_ACCESS_KEY}"
emit S3_SECRET_ACCESS_KEY "${S3_SECRET_ACCESS_KEY:-$LOCAL_S3_SECRET_KEY}"
emit JWKS_URL "${JWKS_URL:-$(local_urls session)/.well-known/jwks.json}"
