#!/usr/bin/env bash
# tests/interop/run.sh <tessera binary> — interoperability with real client
# libraries (ctest: interop_tests). Starts `tessera serve` on free ports
# against a fresh database on TESSERA_TEST_DATABASE_URL's server, creates a
# tenant, two APIs (opaque and JWT) and a client through the admin API, then
# runs Python's requests-oauthlib (Debian's, under /usr/bin/python3) and
# Node's openid-client + jose against it, and stops the server. Any failed
# step fails the test, and so does a server that does not exit 0 on SIGTERM
# or (sanitized) prints a sanitizer report; nothing is ever skipped.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)

log() { printf 'interop: %s\n' "$*" >&2; }
fail() {
  log "FAILED: $*"
  exit 1
}

[ $# -eq 1 ] || fail "usage: $0 <path to the tessera binary>"
tessera=$1
[ -x "$tessera" ] || fail "$tessera is not an executable"
[ -n "${TESSERA_TEST_DATABASE_URL:-}" ] ||
  fail "TESSERA_TEST_DATABASE_URL is not set: run the suites with scripts/test"
for tool in curl jq psql node; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (scripts/test installs what it needs)"
done
# Debian's python3-requests-oauthlib is importable only by Debian's Python,
# not by another python3 that may come first on PATH.
python=/usr/bin/python3
[ -x "$python" ] || fail "$python is missing (Debian package python3)"
"$python" -c 'import requests_oauthlib' 2>/dev/null ||
  fail "requests_oauthlib is not importable by $python (Debian package python3-requests-oauthlib)"
if [ ! -d "$here/node_modules/openid-client" ] || [ ! -d "$here/node_modules/jose" ]; then
  fail "tests/interop/node_modules is missing: run 'npm ci' in tests/interop (scripts/test does)"
fi

# --- A database and a server of our own ----------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tessera-interop.XXXXXX")
db="tessera_interop_$$_${RANDOM}"
server_pid=""
db_created=0

# Whether the server still runs. Until it is reaped an exited child is a
# zombie, which kill -0 would still find.
server_alive() {
  local state
  state=$(cut -d' ' -f3 "/proc/$server_pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ]
}

# Stops the server: SIGTERM drains and exits (SPEC §6); SIGKILL if it has
# not within 30 s. Sets server_status to its exit status.
server_status=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    server_alive || break
    sleep 0.1
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  server_status=0
  wait "$server_pid" 2>/dev/null || server_status=$?
  server_pid=""
}

# The first line of a sanitizer report in <log> and what follows (16 KiB at
# most), or nothing. A sanitized tessera (scripts/test's default build)
# stops at its first report; the report itself says what went wrong.
sanitizer_report() {
  local line
  line=$(grep -m1 -n -E 'ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer)|WARNING: ThreadSanitizer|Sanitizer:DEADLYSIGNAL|^[^ ]+:[0-9]+:[0-9]+: runtime error: ' \
    -- "$1" 2>/dev/null | cut -d: -f1) || return 0
  tail -n "+$line" -- "$1" | head -c 16384 || true
}

# Fails when <log> of the command <what> holds a sanitizer report.
check_sanitizers() {
  local report
  report=$(sanitizer_report "$1")
  [ -z "$report" ] || {
    printf '%s\n' "$report" >&2
    fail "$2 reported a sanitizer error (above)"
  }
}

cleanup() {
  local rc=$?
  if [ -n "$server_pid" ] && server_alive; then
    stop_server
  fi
  if [ "$rc" -ne 0 ] && [ -f "$tmp/serve.log" ]; then
    if [ -n "$(sanitizer_report "$tmp/serve.log")" ]; then
      log "the server's sanitizer report:"
      sanitizer_report "$tmp/serve.log" >&2
    else
      log "last lines of the server's log:"
      tail -n 30 -- "$tmp/serve.log" >&2 || true
    fi
  fi
  if [ "$db_created" -eq 1 ]; then
    psql "$TESSERA_TEST_DATABASE_URL" -qAtX -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || log "could not drop $db"
  fi
  rm -rf -- "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

psql "$TESSERA_TEST_DATABASE_URL" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\"" >/dev/null ||
  fail "cannot create database $db"
db_created=1
# The same server, another database (keeping any ?query of the URL).
base_url=${TESSERA_TEST_DATABASE_URL%%\?*}
query=${TESSERA_TEST_DATABASE_URL#"$base_url"}
database_url="${base_url%/*}/$db$query"

free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
public_port=$(free_port)
admin_port=$(free_port)
while [ "$admin_port" = "$public_port" ]; do admin_port=$(free_port); done
public_url="http://127.0.0.1:$public_port"
admin_url="http://127.0.0.1:$admin_port"
master_key=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')

# Exactly the configuration below, whatever TESSERA_* the caller has set. A
# command, not a function: `"${tessera_cmd[@]}" serve &` then makes $! the
# server itself (env execs it), so that cleanup stops the server and not
# merely a subshell around it.
tessera_cmd=(env -i PATH="$PATH" HOME="${HOME:-/}"
  TESSERA_DATABASE_URL="$database_url" TESSERA_MASTER_KEY="$master_key"
  TESSERA_PUBLIC_ADDR="127.0.0.1:$public_port" TESSERA_ADMIN_ADDR="127.0.0.1:$admin_port"
  TESSERA_ISSUER_BASE="$public_url" TESSERA_THREADS=2 TESSERA_DB_POOL=4
  "$tessera")

"${tessera_cmd[@]}" migrate >"$tmp/migrate.log" 2>&1 || {
  cat -- "$tmp/migrate.log" >&2
  fail "tessera migrate"
}
check_sanitizers "$tmp/migrate.log" "tessera migrate"
admin_key=$("${tessera_cmd[@]}" admin-key create --superadmin --name interop 2>"$tmp/admin-key.log") || {
  cat -- "$tmp/admin-key.log" >&2
  fail "tessera admin-key create"
}
check_sanitizers "$tmp/admin-key.log" "tessera admin-key create"

"${tessera_cmd[@]}" serve >"$tmp/serve.log" 2>&1 &
server_pid=$!
ready=0
for _ in $(seq 1 300); do
  server_alive || fail "tessera serve exited before it was ready"
  if curl -fsS --max-time 2 "$public_url/healthz" >/dev/null 2>&1 &&
    curl -fsS --max-time 2 "$admin_url/healthz" >/dev/null 2>&1; then
    ready=1
    break
  fi
  sleep 0.1
done
[ "$ready" -eq 1 ] || fail "tessera serve did not answer /healthz within 30 s"
log "tessera serve is up: public $public_url, admin $admin_url"

# --- The world, through the admin API -------------------------------------------

# admin <method> <path under /admin/v1> [json]: prints the body of a 2xx answer.
admin() {
  local method=$1 path=$2 body=${3:-} out code
  local args=(-sS --max-time 10 -X "$method" -H "Authorization: Bearer $admin_key"
    -H 'Content-Type: application/json' -w '\n%{http_code}')
  [ -n "$body" ] && args+=(--data "$body")
  out=$(curl "${args[@]}" "$admin_url/admin/v1$path") || fail "curl $method $path"
  code=${out##*$'\n'}
  out=${out%$'\n'*}
  case $code in
    2??) printf '%s' "$out" ;;
    *) fail "$method $path: HTTP $code $out" ;;
  esac
}

slug=interop
opaque_api=https://api.interop.test
jwt_api=https://jwt.interop.test
scopes='[{"value":"read"},{"value":"write"}]'
admin POST /tenants '{"slug":"'$slug'","name":"Interop"}' >/dev/null
opaque_api_id=$(admin POST "/tenants/$slug/apis" \
  '{"identifier":"'$opaque_api'","name":"Opaque API","is_default":true,"scopes":'"$scopes"'}' | jq -er .id)
jwt_api_id=$(admin POST "/tenants/$slug/apis" \
  '{"identifier":"'$jwt_api'","name":"JWT API","token_format":"jwt","scopes":'"$scopes"'}' | jq -er .id)
client=$(admin POST "/tenants/$slug/clients" '{"name":"Interop client","can_introspect":true}')
client_id=$(jq -er .client_id <<<"$client")
client_secret=$(jq -er .client_secret <<<"$client")
for api_id in "$opaque_api_id" "$jwt_api_id"; do
  admin PUT "/tenants/$slug/clients/$client_id/grants/$api_id" '{"scopes":["read","write"]}' >/dev/null
done

export TESSERA_INTEROP_ISSUER="$public_url/t/$slug"
export TESSERA_INTEROP_CLIENT_ID="$client_id"
export TESSERA_INTEROP_CLIENT_SECRET="$client_secret"
export TESSERA_INTEROP_OPAQUE_API="$opaque_api"
export TESSERA_INTEROP_JWT_API="$jwt_api"

# --- The clients ------------------------------------------------------------------

log "python: requests-oauthlib"
OAUTHLIB_INSECURE_TRANSPORT=1 "$python" "$here/oauthlib_client.py" || fail "requests-oauthlib"

log "node: openid-client and jose"
node "$here/openid_client.mjs" || fail "openid-client / jose"

# The server must stop cleanly, and a sanitized one without a report (a
# leak shows only now, at exit).
stop_server
[ "$server_status" -eq 0 ] || fail "tessera serve exited $server_status on SIGTERM"
check_sanitizers "$tmp/serve.log" "tessera serve"

log "all interoperability checks passed"
