#!/usr/bin/env bash
# Offline checks of deploy/systemd/tessera.service: `systemd-analyze verify`
# (no systemd as PID 1 needed, root or not), the sandbox's exposure score
# (`systemd-analyze security --offline`), and Tessera's policy: the hardening
# directives present, SIGTERM to stop, and a stop timeout longer than the
# shutdown delay plus the drain of requests in flight.
# Usage: tests/deploy/systemd_check.sh <path of the built tessera binary>
set -euo pipefail

binary=${1:?usage: systemd_check.sh <tessera binary>}
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
unit="$here/../../deploy/systemd/tessera.service"
command -v systemd-analyze >/dev/null || { echo "systemd-analyze is missing" >&2; exit 1; }
[ -x "$binary" ] || { echo "not an executable: $binary" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT
# verify wants ExecStart='s binary to exist: check a copy that names the
# built one instead of /usr/local/bin/tessera, under the same unit name.
sed "s#/usr/local/bin/tessera#$binary#g" "$unit" >"$tmp/tessera.service"

failures=0
fail() { echo "deploy/systemd: $*" >&2; failures=$((failures + 1)); }

# verify reports unknown keys and unparsable values on stderr but exits 0.
if ! out=$(systemd-analyze verify --man=no "$tmp/tessera.service" 2>&1) || [ -n "$out" ]; then
  fail "systemd-analyze verify: $out"
fi

# Exposure 0.0 (locked down) to 10.0; the threshold is in tenths.
if ! out=$(systemd-analyze security --offline=yes --threshold=20 --no-pager "$tmp/tessera.service" 2>&1); then
  fail "systemd-analyze security: exposure above 2.0: $(grep -F 'Overall exposure' <<<"$out")"
fi

# The value of a [Service] directive (the last one set, as systemd reads it).
value() { sed -n "s/^$1=//p" "$unit" | tail -n 1; }

for directive in \
  DynamicUser=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes PrivateDevices=yes \
  NoNewPrivileges=yes CapabilityBoundingSet= "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" \
  SystemCallFilter=@system-service MemoryDenyWriteExecute=yes LockPersonality=yes \
  ProtectKernelTunables=yes ProtectKernelModules=yes ProtectKernelLogs=yes \
  ProtectControlGroups=yes RestrictNamespaces=yes Restart=on-failure KillSignal=SIGTERM; do
  grep -qxF -- "$directive" "$unit" || fail "missing $directive"
done
grep -q '^EnvironmentFile=' "$unit" || fail "secrets must come from an EnvironmentFile="
grep -q '^ExecStartPre=.* migrate$' "$unit" || fail "ExecStartPre= must run tessera migrate"
grep -Eq '^Environment=TESSERA_(MASTER_KEY|DATABASE_URL)=' "$unit" && fail "secrets must not be in the unit"

# TimeoutStopSec must exceed TESSERA_SHUTDOWN_DELAY + 10 s of in-flight drain.
seconds() {
  case $1 in
    *s) echo "${1%s}" ;; *min) echo $((${1%min} * 60)) ;; *m) echo $((${1%m} * 60)) ;;
    *h) echo $((${1%h} * 3600)) ;; *d) echo $((${1%d} * 86400)) ;; *[0-9]) echo "$1" ;; *) echo -1 ;;
  esac
}
delay_text=$(value 'Environment=TESSERA_SHUTDOWN_DELAY')
delay=$(seconds "${delay_text:-0s}")
stop=$(seconds "$(value TimeoutStopSec)")
[ "$delay" -ge 0 ] || fail "TESSERA_SHUTDOWN_DELAY '$delay_text' is invalid"
[ "$stop" -gt $((delay + 10)) ] ||
  fail "TimeoutStopSec ($stop s) must exceed TESSERA_SHUTDOWN_DELAY ($delay s) + 10 s of drain"

[ "$failures" -eq 0 ] || exit 1
echo "deploy/systemd: tessera.service verifies, exposure $(systemd-analyze security --offline=yes --no-pager "$tmp/tessera.service" 2>&1 | sed -n 's/.*Overall exposure level for tessera.service: \([0-9.]*\).*/\1/p'), within policy"
