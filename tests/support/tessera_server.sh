# shellcheck shell=bash
# tests/support/tessera_server.sh — a real `tessera serve` of its own for the
# suites that drive it from outside (tests/interop/run.sh,
# tests/contract/run.sh, tests/proxy/run.sh): a fresh database on
# TESSERA_TEST_DATABASE_URL's server, free ports, `tessera migrate`, a
# superadmin key from `tessera admin-key create`, the server started and
# waited for, and on exit every server stopped and the database dropped.
#
# Source it after defining log and fail (the suite's own prefix), then:
#   start_tessera <binary> <name> [VAR=value ...]
#       sets tmp, public_url, admin_url, admin_key; the VAR=value pairs are
#       configuration of every instance on top of the defaults below (such
#       as TESSERA_LOG_FORMAT=json or TESSERA_ISSUER_BASE=https://…)
#   start_tessera_instance [VAR=value ...]
#       one more `tessera serve` on the same database with the same master
#       key (what several instances behind a load balancer share), on ports
#       of its own; sets instance_public_url, instance_admin_url and
#       instance_log (the first one's log is $tmp/serve.log)
#   admin <method> <path under /admin/v1> [json]
#       the first instance's admin API with the superadmin key; prints the
#       body of a 2xx answer, fails on any other
#   finish_tessera
#       SIGTERM to every instance; fails unless each exits 0 without a
#       sanitizer report (a leak shows only now)
# A suite with more to stop on exit (a proxy of its own) defines
# before_cleanup, which runs first on exit.

server_pids=()   # every `tessera serve` started, in order
server_logs=()   # the log of each
db_created=0
tmp=""
db=""
tessera_env=()   # env -i and the configuration every instance shares
tessera_bin=""

# Whether the process <pid> still runs. Until it is reaped an exited child
# is a zombie, which kill -0 would still find.
server_alive() {
  local state
  state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$state" != Z ]
}

# stop_server <index>: SIGTERM drains and exits (SPEC §6); SIGKILL if it has
# not within 30 s. Sets server_status to its exit status (empty when it had
# already been stopped).
server_status=""
stop_server() {
  local pid=${server_pids[$1]}
  server_status=""
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    server_alive "$pid" || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  server_status=0
  wait "$pid" 2>/dev/null || server_status=$?
  server_pids[$1]=""
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
  local rc=$? i
  if declare -F before_cleanup >/dev/null; then before_cleanup || true; fi
  for i in "${!server_pids[@]}"; do
    if [ -n "${server_pids[$i]}" ] && server_alive "${server_pids[$i]}"; then
      stop_server "$i"
    fi
  done
  if [ "$rc" -ne 0 ]; then
    for i in "${!server_logs[@]}"; do
      [ -f "${server_logs[$i]}" ] || continue
      if [ -n "$(sanitizer_report "${server_logs[$i]}")" ]; then
        log "the sanitizer report of server $((i + 1)):"
        sanitizer_report "${server_logs[$i]}" >&2
      else
        log "last lines of the log of server $((i + 1)):"
        tail -n 30 -- "${server_logs[$i]}" >&2 || true
      fi
    done
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

# launch_serve <log> <public port> <admin port> [VAR=value ...]: starts
# `tessera serve` with the shared configuration on these ports, waits until
# both listeners answer /healthz, and records it in server_pids.
launch_serve() {
  local serve_log=$1 public_port=$2 admin_port=$3 pid ready
  shift 3
  # A command, not a function: `env … tessera serve &` makes $! the server
  # itself (env execs it), so that cleanup stops the server and not merely
  # a subshell around it. Later assignments override earlier ones.
  "${tessera_env[@]}" TESSERA_PUBLIC_ADDR="127.0.0.1:$public_port" \
    TESSERA_ADMIN_ADDR="127.0.0.1:$admin_port" "$@" "$tessera_bin" serve >"$serve_log" 2>&1 &
  pid=$!
  server_pids+=("$pid")
  server_logs+=("$serve_log")
  ready=0
  for _ in $(seq 1 300); do
    server_alive "$pid" || fail "tessera serve exited before it was ready ($serve_log)"
    if curl -fsS --max-time 2 "http://127.0.0.1:$public_port/healthz" >/dev/null 2>&1 &&
      curl -fsS --max-time 2 "http://127.0.0.1:$admin_port/healthz" >/dev/null 2>&1; then
      ready=1
      break
    fi
    sleep 0.1
  done
  [ "$ready" -eq 1 ] || fail "tessera serve did not answer /healthz within 30 s"
}

# Two distinct free ports, as "public admin".
free_port_pair() {
  local public_port admin_port
  public_port=$(free_port)
  admin_port=$(free_port)
  while [ "$admin_port" = "$public_port" ]; do admin_port=$(free_port); done
  printf '%s %s\n' "$public_port" "$admin_port"
}

# start_tessera <tessera binary> <name> [VAR=value ...]: the database, the
# configuration (exactly the one below and the caller's VAR=value pairs,
# whatever TESSERA_* the caller has in its environment), the migrations, a
# superadmin key and the running server.
start_tessera() {
  local name=$2 base_url query database_url public_port admin_port master_key
  tessera_bin=$1
  shift 2
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

  read -r public_port admin_port < <(free_port_pair)
  public_url="http://127.0.0.1:$public_port"
  admin_url="http://127.0.0.1:$admin_port"
  master_key=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')

  tessera_env=(env -i PATH="$PATH" HOME="${HOME:-/}"
    TESSERA_DATABASE_URL="$database_url" TESSERA_MASTER_KEY="$master_key"
    TESSERA_ISSUER_BASE="$public_url" TESSERA_THREADS=2 TESSERA_DB_POOL=4 "$@")

  "${tessera_env[@]}" "$tessera_bin" migrate >"$tmp/migrate.log" 2>&1 || {
    cat -- "$tmp/migrate.log" >&2
    fail "tessera migrate"
  }
  check_sanitizers "$tmp/migrate.log" "tessera migrate"
  # shellcheck disable=SC2034 # the suite's: the key its scenario uses
  admin_key=$("${tessera_env[@]}" "$tessera_bin" admin-key create --superadmin --name "$name" \
    2>"$tmp/admin-key.log") || {
    cat -- "$tmp/admin-key.log" >&2
    fail "tessera admin-key create"
  }
  check_sanitizers "$tmp/admin-key.log" "tessera admin-key create"

  launch_serve "$tmp/serve.log" "$public_port" "$admin_port"
  log "tessera serve is up: public $public_url, admin $admin_url"
}

# start_tessera_instance [VAR=value ...]: after start_tessera, one more
# instance of the same deployment (database, master key, issuer base and
# the VAR=value pairs given to start_tessera), on ports of its own.
start_tessera_instance() {
  local public_port admin_port n
  [ ${#tessera_env[@]} -gt 0 ] || fail "start_tessera_instance before start_tessera"
  n=$((${#server_pids[@]} + 1))
  read -r public_port admin_port < <(free_port_pair)
  # shellcheck disable=SC2034 # the suite's
  instance_public_url="http://127.0.0.1:$public_port"
  # shellcheck disable=SC2034 # the suite's
  instance_admin_url="http://127.0.0.1:$admin_port"
  instance_log="$tmp/serve-$n.log"
  launch_serve "$instance_log" "$public_port" "$admin_port" "$@"
  log "tessera serve $n is up: public $instance_public_url, admin $instance_admin_url"
}

# Stops every instance still running; fails unless each exits 0 without a
# sanitizer report.
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

finish_tessera() {
  local i
  for i in "${!server_pids[@]}"; do
    [ -n "${server_pids[$i]}" ] || continue
    stop_server "$i"
    [ "$server_status" -eq 0 ] || fail "tessera serve $((i + 1)) exited $server_status on SIGTERM"
  done
  for i in "${!server_logs[@]}"; do
    check_sanitizers "${server_logs[$i]}" "tessera serve $((i + 1))"
  done
}
