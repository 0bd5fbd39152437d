# shellcheck shell=bash
# tests/support/tessera_server.sh — a real `tessera serve` of its own for the
# suites that drive it from outside (tests/interop/run.sh,
# tests/contract/run.sh): a fresh database on TESSERA_TEST_DATABASE_URL's
# server, free ports, `tessera migrate`, a superadmin key from `tessera
# admin-key create`, the server started and waited for, and on exit the
# server stopped and the database dropped.
#
# Source it after defining log and fail (the suite's own prefix), then:
#   start_tessera <binary> <name>   sets tmp, public_url, admin_url, admin_key
#   finish_tessera                  SIGTERM; fails unless it exits 0 without a
#                                   sanitizer report (a leak shows only now)

server_pid=""
db_created=0
tmp=""
db=""

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

# A port nobody listens on, as the kernel picks it.
free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# start_tessera <tessera binary> <name>: the database, the configuration
# (exactly the one below, whatever TESSERA_* the caller has set), the
# migrations, a superadmin key and the running server.
start_tessera() {
  local tessera=$1 name=$2
  local base_url query database_url public_port admin_port master_key ready
  local -a tessera_cmd
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/tessera-$name.XXXXXX")
  db="tessera_${name}_$$_${RANDOM}"
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
  # shellcheck disable=SC2034 # the suite's: the key its scenario uses
  admin_key=$("${tessera_cmd[@]}" admin-key create --superadmin --name "$name" 2>"$tmp/admin-key.log") || {
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
}

finish_tessera() {
  stop_server
  [ "$server_status" -eq 0 ] || fail "tessera serve exited $server_status on SIGTERM"
  check_sanitizers "$tmp/serve.log" "tessera serve"
}
