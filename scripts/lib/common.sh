# shellcheck shell=bash
# Helpers shared by scripts/dev, scripts/test and the other developer scripts.
# Source it; it defines functions and a few TESSERA_*/PG_CLUSTER_* variables.
#
# Everything chatty goes to stderr: stdout is kept for what a script means to
# tell its user (credentials, curl lines), so it can be piped or captured.

set -euo pipefail

# Debian 12 packages needed to build, run and test Tessera.
TESSERA_PACKAGES=(
  build-essential cmake pkg-config ccache git ca-certificates curl jq
  libpistache-dev libpqxx-dev libsodium-dev libspdlog-dev libfmt-dev
  nlohmann-json3-dev libgtest-dev libbenchmark-dev libcurl4-openssl-dev libssl-dev
  prometheus-cpp-dev
  postgresql-15 postgresql-client-15 wrk
  python3-requests-oauthlib python3-jwt python3-cryptography
  # nginx for the interop suite's gateway and the proxy suite's TLS proxy,
  # which run their own on free ports; Debian's install may start the system
  # service on port 80 (not in a container whose policy-rc.d forbids it);
  # nothing of ours uses it. The proxy suite makes its certificate with
  # openssl and fetches tokens with python3-requests.
  nginx libnginx-mod-http-js openssl python3-requests
  # promtool checks /metrics and deploy/prometheus's rules (scripts/test, the
  # metrics e2e test). Debian's install may start a Prometheus server on
  # port 9090 (not in a container whose policy-rc.d forbids it); nothing of
  # ours uses it.
  prometheus
  clang-14 libclang-rt-14-dev clang-format-14
)

# PostgreSQL 15 server binaries: Debian keeps them off PATH.
PG_BINDIR=${TESSERA_PG_BINDIR:-/usr/lib/postgresql/15/bin}

_tessera_apt_updated=0

tessera_log() { printf '%s: %s\n' "${TESSERA_LOG_PREFIX:-tessera}" "$*" >&2; }
tessera_die() { tessera_log "error: $*"; exit 1; }
tessera_is_root() { [ "$(id -u)" -eq 0 ]; }

# The repository root, from the path of the script that sourced this file.
tessera_repo_root() {
  local here
  here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
  (cd -- "$here/../.." && pwd -P)
}

# ---------------------------------------------------------------------------
# Packages

# Installs the missing Debian packages (apt-get update once per run). Without
# root, prints the command to run and exits 1.
tessera_install_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    tessera_log "not a Debian system: make sure these are installed: ${TESSERA_PACKAGES[*]}"
    return 0
  fi
  local pkg status missing=()
  for pkg in "${TESSERA_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  if ! tessera_is_root; then
    tessera_log "missing Debian packages: ${missing[*]}"
    tessera_log "install them as root, then run this again:"
    printf '  apt-get update && apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
    exit 1
  fi
  tessera_log "installing missing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$_tessera_apt_updated" -eq 0 ]; then
    apt-get update >&2
    _tessera_apt_updated=1
  fi
  apt-get install -y --no-install-recommends "${missing[@]}" >&2
}

# ---------------------------------------------------------------------------
# Build

# tessera_configure <build-dir> <build-type> [extra cmake args...]
# Run from the repository root. Output goes to stderr.
tessera_configure() {
  [ $# -ge 2 ] || tessera_die "usage: tessera_configure <build-dir> <build-type> [cmake args...]"
  local dir=$1 type=$2
  shift 2
  local args=(-S . -B "$dir" "-DCMAKE_BUILD_TYPE=$type")
  if command -v ccache >/dev/null 2>&1; then
    args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  tessera_log "configuring $dir ($type)"
  cmake "${args[@]}" "$@" >&2
}

# tessera_build <build-dir> <build-type> [extra cmake args...]
# Configures, then builds everything. Build output goes to stderr.
tessera_build() {
  [ $# -ge 2 ] || tessera_die "usage: tessera_build <build-dir> <build-type> [cmake args...]"
  tessera_configure "$@"
  tessera_log "building $1"
  cmake --build "$1" -j2 >&2
}

# ---------------------------------------------------------------------------
# Ports

# Succeeds when something accepts TCP connections on 127.0.0.1:<port>.
tessera_port_in_use() {
  # shellcheck disable=SC2016  # $0 expands in the inner shell
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null
}

# Prints the first port from <start> on (at most 100 tried) that nobody
# listens on at 127.0.0.1.
tessera_free_port() {
  local port=$1 last=$(($1 + 100))
  while [ "$port" -lt "$last" ]; do
    if ! tessera_port_in_use "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
    port=$((port + 1))
  done
  tessera_die "no free TCP port on 127.0.0.1 in $1..$((last - 1))"
}

# ---------------------------------------------------------------------------
# PostgreSQL clusters
#
# A cluster lives in one directory: data/ (PGDATA), postgres.log, and the unix
# socket itself (.s.PGSQL.<port>). PostgreSQL refuses to run as root, so when
# these scripts run as root every PostgreSQL command runs as `postgres`, and
# the directory must be reachable by that user. When it is not (a checkout
# under /root, or in a mode-700 `mktemp -d`), or when its path is too long or
# odd for a unix socket, the real directory goes to a place postgres can reach
# and the requested path becomes a symlink to it.
#
# State of the cluster started last (used by pg_cluster_stop without args):
PG_CLUSTER_LINK=""   # the path the caller asked for
PG_CLUSTER_DIR=""    # the real directory
PG_CLUSTER_PORT=""

# Runs a PostgreSQL command as the user that owns the clusters.
pg_run() {
  if tessera_is_root; then
    # From /, so that tools which look at their working directory don't
    # trip over one postgres may not enter (such as /root).
    (cd / && exec runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

_pg_require() {
  [ -x "$PG_BINDIR/pg_ctl" ] ||
    tessera_die "PostgreSQL 15 server binaries not found in $PG_BINDIR (install postgresql-15, or set TESSERA_PG_BINDIR)"
  if tessera_is_root; then
    getent passwd postgres >/dev/null || tessera_die "running as root needs a 'postgres' user (install postgresql-15)"
    command -v runuser >/dev/null 2>&1 || tessera_die "running as root needs runuser (util-linux)"
  fi
}

# Succeeds when the cluster owner can reach <dir>: search permission on the
# directory and on every ancestor, tested as that user rather than guessed.
_pg_reachable() {
  local d=$1
  while :; do
    pg_run test -x "$d" || return 1
    [ "$d" = / ] && return 0
    d=$(dirname -- "$d")
  done
}

# Succeeds when <dir> can hold the server's unix socket as given: short enough
# for sun_path (107 bytes) and plain enough to pass unquoted in -c options.
_pg_socket_dir_ok() {
  local dir=$1 port=$2
  [[ $dir =~ ^[A-Za-z0-9/._+-]+$ ]] || return 1
  [ $((${#dir} + ${#port} + 10)) -le 100 ]
}

# Where relocated cluster directories go: the postgres user's home when running
# as root (PostgreSQL's own place, never swept by tmp cleaners), else /var/tmp.
_pg_relocation_base() {
  local home
  if tessera_is_root; then
    home=$(getent passwd postgres | cut -d: -f6)
    if [ -n "$home" ] && [ -d "$home" ] && [ "$(stat -c %U "$home")" = postgres ] &&
      _pg_socket_dir_ok "$home" 99999 && _pg_reachable "$home"; then
      printf '%s\n' "$home"
      return 0
    fi
  fi
  printf '%s\n' /var/tmp
}

# Creates (if needed) the directory for the cluster at <path> and sets
# PG_CLUSTER_LINK / PG_CLUSTER_DIR.
_pg_prepare_dir() {
  local path=$1 port=$2 parent name link real owner hash base
  parent=$(dirname -- "$path")
  name=$(basename -- "$path")
  mkdir -p -- "$parent"
  parent=$(cd -- "$parent" && pwd -P)
  link=$parent/$name
  owner=$(id -un)
  tessera_is_root && owner=postgres

  local relocate=0
  if tessera_is_root && ! _pg_reachable "$parent"; then
    relocate=1
  elif ! _pg_socket_dir_ok "$link" "$port"; then
    relocate=1
  fi

  if [ "$relocate" -eq 0 ] && [ ! -L "$link" ]; then
    if [ ! -e "$link" ]; then
      mkdir -m 700 -- "$link"
      tessera_is_root && chown postgres:postgres -- "$link"
    fi
    [ -d "$link" ] || tessera_die "$link exists and is not a directory"
    [ "$(stat -c %U "$link")" = "$owner" ] ||
      tessera_die "$link is owned by $(stat -c %U "$link"), not $owner"
    real=$link
  else
    if [ -e "$link" ] && [ ! -L "$link" ]; then
      tessera_die "$link is a real directory that ${owner} cannot use here; move it away"
    fi
    hash=$(printf '%s' "$link" | sha256sum | cut -c1-12)
    base=$(_pg_relocation_base)
    real=$base/tessera-pg-$hash-${name//[^A-Za-z0-9._-]/_}
    if [ -L "$real" ] || { [ -e "$real" ] && [ ! -d "$real" ]; }; then
      tessera_die "$real exists and is not a directory; remove it"
    fi
    if [ ! -d "$real" ]; then
      if tessera_is_root; then
        mkdir -m 700 -- "$real"
        chown postgres:postgres -- "$real"
      else
        mkdir -m 700 -- "$real"
      fi
    fi
    [ "$(stat -c %U "$real")" = "$owner" ] ||
      tessera_die "$real is owned by $(stat -c %U "$real"), not $owner; remove it"
    if [ "$(readlink -- "$link" 2>/dev/null || true)" != "$real" ]; then
      ln -sfn -- "$real" "$link"
    fi
    _pg_socket_dir_ok "$real" "$port" || tessera_die "cannot find a usable directory for the cluster ($real)"
  fi
  PG_CLUSTER_LINK=$link
  PG_CLUSTER_DIR=$real
}

_pg_show_log() {
  local log=$1
  [ -f "$log" ] || return 0
  tessera_log "last lines of $log:"
  tail -n 20 -- "$log" >&2 || true
}

# pg_cluster_start <cluster-dir> <port>
# Creates the cluster on first use (initdb: superuser postgres, trust, UTF8, C
# locale), starts it on 127.0.0.1:<port> with its unix socket in <cluster-dir>,
# and waits until it accepts connections. fsync and synchronous_commit keep
# their defaults (on).
pg_cluster_start() {
  [ $# -eq 2 ] || tessera_die "usage: pg_cluster_start <cluster-dir> <port>"
  local path=$1 port=$2
  [[ $port =~ ^[0-9]+$ ]] || tessera_die "bad port: $port"
  _pg_require
  _pg_prepare_dir "$path" "$port"
  PG_CLUSTER_PORT=$port
  local dir=$PG_CLUSTER_DIR data=$PG_CLUSTER_DIR/data log=$PG_CLUSTER_DIR/postgres.log

  if [ ! -s "$data/PG_VERSION" ]; then
    # A data directory without PG_VERSION is what an interrupted initdb left.
    [ -e "$data" ] && rm -rf -- "$data"
    tessera_log "creating PostgreSQL cluster in $dir"
    if ! pg_run "$PG_BINDIR/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C \
      >"$dir/initdb.log" 2>&1; then
      _pg_show_log "$dir/initdb.log"
      tessera_die "initdb failed"
    fi
    if tessera_is_root; then chown postgres:postgres -- "$dir/initdb.log"; fi
  fi

  if pg_run "$PG_BINDIR/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    tessera_log "a server from an earlier run is still using $data; stopping it"
    pg_run "$PG_BINDIR/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  if tessera_port_in_use "$port"; then
    tessera_die "port $port on 127.0.0.1 is already in use"
  fi

  tessera_log "starting PostgreSQL on 127.0.0.1:$port (socket in $dir)"
  if ! pg_run "$PG_BINDIR/pg_ctl" -D "$data" -l "$log" -w -t 60 -s \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" \
    start >&2; then
    _pg_show_log "$log"
    tessera_die "PostgreSQL did not start"
  fi
  local i
  for ((i = 0; i < 120; i++)); do
    if pg_run "$PG_BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
      return 0
    fi
    sleep 0.5
  done
  _pg_show_log "$log"
  tessera_die "PostgreSQL on 127.0.0.1:$port is not ready after 60 s"
}

# pg_cluster_stop [--delete] [cluster-dir]
# Stops the cluster (the one started last when no directory is given); with
# --delete, also removes its directory and the symlink that pointed to it.
pg_cluster_stop() {
  local delete=0
  if [ "${1:-}" = --delete ]; then
    delete=1
    shift
  fi
  local link=${1:-$PG_CLUSTER_LINK} real
  [ -n "$link" ] || return 0
  if [ "$link" = "$PG_CLUSTER_LINK" ] && [ -n "$PG_CLUSTER_DIR" ]; then
    real=$PG_CLUSTER_DIR
  else
    real=$(readlink -f -- "$link" 2>/dev/null || true)
  fi

  if [ -n "$real" ] && [ -f "$real/data/postmaster.pid" ]; then
    tessera_log "stopping PostgreSQL ($real)"
    pg_run "$PG_BINDIR/pg_ctl" -D "$real/data" -m fast -w -t 60 -s stop >&2 ||
      pg_run "$PG_BINDIR/pg_ctl" -D "$real/data" -m immediate -w -t 30 -s stop >&2 ||
      tessera_log "could not stop PostgreSQL in $real/data"
  fi

  if [ "$delete" -eq 1 ]; then
    if [ -n "$real" ] && [ "$real" != / ] && [ -d "$real" ]; then
      rm -rf -- "$real"
    fi
    if [ -L "$link" ]; then
      rm -f -- "$link"
    fi
  fi
  if [ "$link" = "$PG_CLUSTER_LINK" ]; then
    # shellcheck disable=SC2034  # PG_CLUSTER_PORT is for the callers
    PG_CLUSTER_LINK="" PG_CLUSTER_DIR="" PG_CLUSTER_PORT=""
  fi
}
