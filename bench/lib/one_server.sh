# bench/lib/one_server.sh — sourced by the benchmarks that compare request
# kinds on one server (bench/private_key_jwt, bench/dpop): builds a release
# tessera, starts a throwaway PostgreSQL and the server on free ports, and
# offers `api` (admin calls), `bench_run` (one wrk run) and `median`.
# The sourcing script sets TESSERA_LOG_PREFIX and `run_prefix` first.
# Sets: duration, rounds, connections, run_dir, public, admin_key,
# pg_port, PG_CLUSTER_DIR.
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd -- "$root"
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh

duration=${TESSERA_BENCH_DURATION:-10}
rounds=${TESSERA_BENCH_ROUNDS:-3}
connections=${TESSERA_BENCH_CONNECTIONS:-64}
build_dir=${TESSERA_BUILD_DIR:-build-release}

tessera_install_deps
tessera_build "$build_dir" Release -DTESSERA_BUILD_TESTS=OFF
tessera=$root/$build_dir/bin/tessera
command -v wrk >/dev/null || tessera_die "wrk is missing (apt-get install wrk)"

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/tessera-$run_prefix.XXXXXX")
chmod 755 -- "$run_dir"
server_pid=""
cleanup() {
  local rc=$?
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  pg_cluster_stop --delete || true
  exit "$rc"
}
trap cleanup EXIT

pg_port=$(tessera_free_port 55470)
pg_cluster_start "$run_dir/pg" "$pg_port"
pg_run "$PG_BINDIR/createdb" -h "$PG_CLUSTER_DIR" -p "$pg_port" -U postgres bench
export TESSERA_DATABASE_URL="postgresql://postgres@/bench?host=$PG_CLUSTER_DIR&port=$pg_port"
TESSERA_MASTER_KEY=$(head -c 32 /dev/urandom | basenc --base64url)
export TESSERA_MASTER_KEY
public_port=$(tessera_free_port 18580)
admin_port=$(tessera_free_port $((public_port + 1)))
export TESSERA_PUBLIC_ADDR=127.0.0.1:$public_port TESSERA_ADMIN_ADDR=127.0.0.1:$admin_port
export TESSERA_ISSUER_BASE=http://127.0.0.1:$public_port
public=http://127.0.0.1:$public_port
admin=http://127.0.0.1:$admin_port/admin/v1
"$tessera" migrate 2>>"$run_dir/tessera.log"
admin_key=$("$tessera" admin-key create --superadmin 2>>"$run_dir/tessera.log")
"$tessera" serve 2>>"$run_dir/tessera.log" &
server_pid=$!
for _ in $(seq 100); do curl -fsS "$public/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

api() {
  curl -fsS -X "$1" -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "$admin$2"
}

# One wrk run; prints "<req/s> <200s> <other>".
bench_run() {
  local out=$1 url=$2
  wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s -s "$root/bench/wrk.lua" "$url" >"$out" 2>&1 || true
  awk '/^BENCH / {for (i = 2; i <= NF; i++) {split($i, kv, "="); v[kv[1]] = kv[2]}
       printf "%.0f %d %d\n", v["requests"] / (v["duration_us"] / 1e6), v["ok"], v["other"]}' "$out"
}

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# A count from the bench database.
bench_sql() {
  pg_run "$PG_BINDIR/psql" -X -q -A -t -h "$PG_CLUSTER_DIR" -p "$pg_port" -U postgres -d bench -c "$1"
}

# CPU seconds used so far by the server and by PostgreSQL (the postmaster
# and its processes alive now: the pool's and the batcher's connections
# live as long as the server), as "<tessera> <postgres>".
cpu_seconds() {
  local postmaster tick
  postmaster=$(head -1 "$PG_CLUSTER_DIR/data/postmaster.pid")
  tick=$(getconf CLK_TCK)
  local pg_pids
  pg_pids="$postmaster $(pgrep -d ' ' -P "$postmaster" || true)"
  # utime and stime: fields 14 and 15 of /proc/<pid>/stat (the command
  # name, field 2, holds no spaces for these processes).
  local server_ticks pg_ticks
  server_ticks=$(awk '{print $14 + $15}' "/proc/$server_pid/stat")
  # shellcheck disable=SC2086
  pg_ticks=$(for pid in $pg_pids; do cat "/proc/$pid/stat" 2>/dev/null; done |
    awk '{sum += $14 + $15} END {print sum + 0}')
  echo "$((server_ticks)) $((pg_ticks))" | awk -v t="$tick" '{printf "%.2f %.2f\n", $1 / t, $2 / t}'
}
