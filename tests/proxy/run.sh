#!/usr/bin/env bash
# tests/proxy/run.sh <tessera binary> — Tessera behind a TLS-terminating
# reverse proxy (ctest: proxy_tests). Runs deploy/nginx/tessera.conf itself
# (Debian's nginx, unprivileged, in a temporary directory, with the
# addresses, port and certificate paths replaced) in front of TWO `tessera
# serve` instances on one fresh database, both with
# TESSERA_ISSUER_BASE=https://127.0.0.1:<nginx port> and
# TESSERA_TRUSTED_PROXIES=127.0.0.1/32 (nginx connects to them from
# 127.0.0.1), and a self-signed certificate made here for 127.0.0.1.
#
# The test's clients connect from other loopback addresses (curl
# --interface 127.0.0.x) where a check needs a client address that is not
# a trusted proxy, as real clients are. Checks, each printed ok (a failure
# stops the suite, nothing is skipped):
# - the certificate: curl and Python requests refuse it without the test's
#   CA, and accept it with it (--cacert, verify=);
# - tokens through the proxy, from curl and from Python requests, served by
#   both instances (their JSON request logs, by X-Request-Id);
# - discovery through the proxy: issuer https://127.0.0.1:<port>/t/<slug>,
#   every endpoint https and under it; the JWKS and introspection answer;
# - X-Forwarded-For: the instance logs the address nginx received the
#   request from, not what the client wrote in its own X-Forwarded-For;
#   through a trusted hop (127.0.0.1, standing for an outer proxy) the
#   address that hop forwarded;
# - rate limits by that address: failed client authentications from one
#   client address through the proxy reach 429, and then another address
#   still gets 401;
# - only from TESSERA_TRUSTED_PROXIES: a direct request to an instance from
#   an untrusted address with a forged X-Forwarded-For is logged and
#   limited as its peer address (varied forged addresses still reach 429);
#   from 127.0.0.1, a trusted address, the header is believed (which is why
#   instances must be reachable only through the proxy);
# - the admin API and /metrics are not reachable through the proxy (404);
# - plain HTTP on the TLS port: nginx's 400, never a token;
# - failover: with one instance stopped (exit 0 on SIGTERM) every token
#   request still succeeds; with both stopped the proxy answers 503 in
#   Tessera's JSON shape.
# Everything (servers, nginx, the temporary directory, the database) is
# stopped or removed on any exit.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd -- "$here/../.." && pwd -P)

log() { printf 'proxy: %s\n' "$*" >&2; }
fail() {
  printf 'FAILED - %s\n' "$*"
  log "FAILED: $*"
  exit 1
}
checks=0
ok() {
  checks=$((checks + 1))
  printf 'ok - %s\n' "$*"
}

[ $# -eq 1 ] || fail "usage: $0 <path to the tessera binary>"
tessera=$1
[ -x "$tessera" ] || fail "$tessera is not an executable"
[ -n "${TESSERA_TEST_DATABASE_URL:-}" ] ||
  fail "TESSERA_TEST_DATABASE_URL is not set: run the suites with scripts/test"
for tool in curl jq psql node openssl; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (scripts/test installs what it needs)"
done
nginx=/usr/sbin/nginx
[ -x "$nginx" ] || fail "$nginx is missing (Debian package nginx)"
python=/usr/bin/python3
[ -x "$python" ] || fail "$python is missing (Debian package python3)"
"$python" -c 'import requests' 2>/dev/null ||
  fail "requests is not importable by $python (Debian package python3-requests)"
deployed=$repo/deploy/nginx/tessera.conf
[ -f "$deployed" ] || fail "$deployed is missing"

# --- Two instances of one deployment --------------------------------------------

# shellcheck source=tests/support/tessera_server.sh
. "$here/../support/tessera_server.sh"

nginx_pid=""
before_cleanup() {
  if [ -n "$nginx_pid" ]; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
    nginx_pid=""
  fi
  if [ -f "$tmp/nginx/error.log" ] && [ "${checks_done:-0}" -ne 1 ]; then
    log "last lines of nginx's error log:"
    tail -n 20 -- "$tmp/nginx/error.log" >&2 || true
  fi
}

proxy_port=$(free_port)
issuer_base=https://127.0.0.1:$proxy_port
start_tessera "$tessera" proxy TESSERA_ISSUER_BASE="$issuer_base" \
  TESSERA_TRUSTED_PROXIES=127.0.0.1/32 TESSERA_LOG_FORMAT=json
direct_url=$public_url
logs=("$tmp/serve.log")
upstream_ports=("${public_url##*:}")
# shellcheck disable=SC2119 # the second instance needs nothing of its own
start_tessera_instance
logs+=("$instance_log")
upstream_ports+=("${instance_public_url##*:}")

# --- The world, through the first instance's admin API ----------------------------

slug=proxy
issuer=$issuer_base/t/$slug
admin POST /tenants '{"slug":"'$slug'","name":"Behind a proxy"}' >/dev/null
api_id=$(admin POST "/tenants/$slug/apis" \
  '{"identifier":"https://api.proxy.test","name":"API","is_default":true,"scopes":[{"value":"read"}]}' |
  jq -er .id)
client=$(admin POST "/tenants/$slug/clients" '{"name":"Proxy client","can_introspect":true}')
client_id=$(jq -er .client_id <<<"$client")
client_secret=$(jq -er .client_secret <<<"$client")
admin PUT "/tenants/$slug/clients/$client_id/grants/$api_id" '{"scopes":["read"]}' >/dev/null
# Failures are also counted per client id (SPEC §6): spread over eight
# clients, none of them reaches a limit of its own, so a 429 below can only
# come from the source address.
wrong_ids=()
for n in 1 2 3 4 5 6 7 8; do
  wrong_ids+=("$(admin POST "/tenants/$slug/clients" '{"name":"Wrong secrets '"$n"'"}' | jq -er .client_id)")
done

# --- The certificate and nginx ------------------------------------------------------

mkdir -p "$tmp/nginx/temp"
cert=$tmp/nginx/cert.pem
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$tmp/nginx/key.pem" -out "$cert" 2>"$tmp/nginx/openssl.log" || {
  cat -- "$tmp/nginx/openssl.log" >&2
  fail "openssl req -x509"
}

# deploy/nginx/tessera.conf as an operator deploys it, with only these
# values replaced; each must be there (exactly this often), so that the
# test cannot silently drift from the file.
conf=$(<"$deployed")
substitute() {
  local old=$1 new=$2 times=$3 found
  found=$(grep -cF -- "$old" "$deployed" || true)
  [ "$found" -eq "$times" ] || fail "deploy/nginx/tessera.conf has '$old' $found times, expected $times"
  conf=${conf//"$old"/"$new"}
}
substitute 'server tessera-1.internal:8080' "server 127.0.0.1:${upstream_ports[0]}" 1
substitute 'server tessera-2.internal:8080' "server 127.0.0.1:${upstream_ports[1]}" 1
substitute 'listen 443 ssl;' "listen 127.0.0.1:$proxy_port ssl;" 1
substitute 'server_name auth.example.com;' 'server_name 127.0.0.1;' 1
substitute '/etc/nginx/tls/auth.example.com.crt' "$cert" 1
substitute '/etc/nginx/tls/auth.example.com.key' "$tmp/nginx/key.pem" 1
printf '%s\n' "$conf" >"$tmp/nginx/tessera.conf"

# The main file Debian's /etc/nginx/nginx.conf would be: everything nginx
# writes is under $tmp/nginx. A master started as root hands its workers to
# `nobody`, who could not read the key there: keep them as whoever we are.
user_line=""
if [ "$(id -u)" -eq 0 ]; then
  user_line="user $(id -un) $(id -gn);"
fi
cat >"$tmp/nginx/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log info;
events { worker_connections 256; }
http {
  access_log $tmp/nginx/access.log;
  client_body_temp_path $tmp/nginx/temp/client_body;
  proxy_temp_path $tmp/nginx/temp/proxy;
  fastcgi_temp_path $tmp/nginx/temp/fastcgi;
  uwsgi_temp_path $tmp/nginx/temp/uwsgi;
  scgi_temp_path $tmp/nginx/temp/scgi;
  default_type application/octet-stream;
  include $tmp/nginx/tessera.conf;
}
EOF
"$nginx" -t -q -p "$tmp/nginx/" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" \
  2>"$tmp/nginx/nginx-t.log" || {
  cat -- "$tmp/nginx/nginx-t.log" >&2
  fail "nginx -t refused deploy/nginx/tessera.conf"
}
"$nginx" -p "$tmp/nginx/" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" &
nginx_pid=$!
ready=0
for _ in $(seq 1 100); do
  server_alive "$nginx_pid" || fail "nginx exited at start"
  if curl -fsS --max-time 2 --cacert "$cert" "$issuer_base/healthz" >/dev/null 2>&1; then
    ready=1
    break
  fi
  sleep 0.1
done
[ "$ready" -eq 1 ] || fail "nginx did not answer $issuer_base/healthz within 10 s"
log "nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///') terminates TLS on $issuer_base"

# --- Helpers ---------------------------------------------------------------------------

# through <curl args>: a request through the proxy, verifying its certificate.
through() { curl -sS --max-time 10 --cacert "$cert" "$@"; }

# logged <request id>: "<instance number> <remote_address> <status>" of the
# request log line with that id, from whichever instance logged it.
logged() {
  local i line
  for i in "${!logs[@]}"; do
    line=$(jq -Rr --arg id "$1" 'fromjson? | select(.msg == "request" and .request_id == $id)
      | "\(.remote_address) \(.status)"' -- "${logs[$i]}" | head -n1)
    if [ -n "$line" ]; then
      printf '%s %s\n' "$((i + 1))" "$line"
      return 0
    fi
  done
  fail "no instance logged the request $1"
}

# served <request id prefix> <status>: how many request lines of each
# instance with that id prefix and status, as "<first> <second>".
served() {
  local i counts=()
  for i in "${!logs[@]}"; do
    counts+=("$(jq -Rr --arg prefix "$1" --argjson status "$2" 'fromjson?
      | select(.msg == "request" and (.request_id | startswith($prefix)) and .status == $status)
      | .request_id' -- "${logs[$i]}" | wc -l)")
  done
  printf '%s %s\n' "${counts[0]}" "${counts[1]}"
}

# The answer to token requests (RFC 6749 §4.4) with the wrong secret for
# eight rotating clients, one curl and one connection: <count> requests to
# <url> from <local address>, with X-Request-Id <prefix><n>, verifying the
# proxy's certificate; prints the statuses, one a line.
wrong_secrets() {
  local count=$1 url=$2 from=$3 prefix=$4 n
  {
    for n in $(seq 1 "$count"); do
      [ "$n" -gt 1 ] && printf 'next\n'
      printf 'url = "%s"\n' "$url"
      printf 'interface = "%s"\n' "$from"
      printf 'user = "%s:wrong-secret"\n' "${wrong_ids[$((n % ${#wrong_ids[@]}))]}"
      printf 'data = "grant_type=client_credentials"\n'
      printf 'header = "X-Request-Id: %s%s"\n' "$prefix" "$n"
      printf 'output = "/dev/null"\n'
      printf 'write-out = "%%{http_code}\\n"\n'
      printf 'max-time = 10\n'
      printf 'cacert = "%s"\n' "$cert"
      printf 'silent\nshow-error\n'
    done
  } >"$tmp/limit.curl"
  curl --config "$tmp/limit.curl"
}

# --- The certificate ---------------------------------------------------------------

rc=0
curl -sS --max-time 10 -o /dev/null "$issuer_base/healthz" 2>/dev/null || rc=$?
[ "$rc" -eq 60 ] || fail "curl without the test's CA: exit $rc, expected 60 (certificate not trusted)"
ok "curl refuses the proxy's certificate without the test's CA (exit 60)"
[ "$(through -o /dev/null -w '%{http_code}' "$issuer_base/readyz")" = 200 ] ||
  fail "/readyz through the proxy"
ok "curl --cacert <the test's certificate> verifies the proxy: /readyz 200"

# --- Tokens through the proxy, from both instances -------------------------------------

curl_tokens=20
for n in $(seq 1 "$curl_tokens"); do
  body=$(through -u "$client_id:$client_secret" -d grant_type=client_credentials \
    -H "X-Request-Id: curl-$n" -w '\n%{http_code}' "$issuer/oauth/token") || fail "curl token $n"
  [ "${body##*$'\n'}" = 200 ] || fail "curl token $n: HTTP ${body##*$'\n'} ${body%$'\n'*}"
  access_token=$(jq -er .access_token <<<"${body%$'\n'*}") || fail "curl token $n: no access_token"
done
read -r first second < <(served curl- 200)
{ [ "$first" -gt 0 ] && [ "$second" -gt 0 ] && [ $((first + second)) -eq "$curl_tokens" ]; } ||
  fail "curl tokens served by the instances: $first and $second of $curl_tokens"
ok "curl: $curl_tokens tokens through the proxy, $first from instance 1 and $second from instance 2"

python_tokens=10
TESSERA_PROXY_ISSUER=$issuer TESSERA_PROXY_CA=$cert TESSERA_PROXY_CLIENT_ID=$client_id \
  TESSERA_PROXY_CLIENT_SECRET=$client_secret TESSERA_PROXY_PYTHON_TOKENS=$python_tokens \
  "$python" "$here/requests_client.py" || fail "python requests"
checks=$((checks + 2))
read -r first second < <(served python- 200)
{ [ "$first" -gt 0 ] && [ "$second" -gt 0 ] && [ $((first + second)) -eq "$python_tokens" ]; } ||
  fail "python tokens served by the instances: $first and $second of $python_tokens"
ok "python: its $python_tokens tokens came from instance 1 ($first) and instance 2 ($second)"

active=$(through -u "$client_id:$client_secret" --data-urlencode "token=$access_token" \
  "$issuer/oauth/introspect" | jq -er .active) || fail "introspection through the proxy"
[ "$active" = true ] || fail "introspection through the proxy: active $active"
ok "introspection through the proxy: the last curl token is active"

# --- Discovery -------------------------------------------------------------------------

for document in oauth-authorization-server openid-configuration; do
  metadata=$(through -f "$issuer/.well-known/$document") || fail "$document through the proxy"
  [ "$(jq -r .issuer <<<"$metadata")" = "$issuer" ] ||
    fail "$document: issuer $(jq -r .issuer <<<"$metadata"), expected $issuer"
  urls=$(jq -r 'to_entries[] | select(.key | test("_(endpoint|uri)$")) | "\(.key) \(.value)"' <<<"$metadata")
  [ -n "$urls" ] || fail "$document lists no endpoint"
  while read -r key url; do
    [[ $url == "$issuer/"* ]] || fail "$document: $key is $url, not under $issuer/"
  done <<<"$urls"
  ok "$document through the proxy: issuer $issuer, $(wc -l <<<"$urls") endpoint URLs all https under it"
done
jwks_uri=$(jq -r .jwks_uri <<<"$metadata")
through -f "$jwks_uri" | jq -e '.keys | length > 0' >/dev/null || fail "jwks_uri through the proxy"
ok "jwks_uri answers through the proxy"

# --- X-Forwarded-For ---------------------------------------------------------------------

# A client at 127.0.0.10 (not a trusted proxy) writes its own X-Forwarded-For;
# nginx appends 127.0.0.10, and that is the address the instance believes.
through --interface 127.0.0.10 -o /dev/null -u "$client_id:$client_secret" -d grant_type=client_credentials \
  -H 'X-Forwarded-For: 203.0.113.7' -H 'X-Request-Id: xff-client' "$issuer/oauth/token"
read -r instance address status < <(logged xff-client)
{ [ "$address" = 127.0.0.10 ] && [ "$status" = 200 ]; } ||
  fail "a client at 127.0.0.10 claiming 203.0.113.7: instance $instance logged $address (status $status)"
ok "X-Forwarded-For: instance $instance logs the client address nginx saw (127.0.0.10), not the 203.0.113.7 the client claimed"

# From 127.0.0.1, a trusted proxy (standing for an outer load balancer), the
# address that hop forwarded is believed: nginx sends "203.0.113.7, 127.0.0.1".
through -o /dev/null -u "$client_id:$client_secret" -d grant_type=client_credentials \
  -H 'X-Forwarded-For: 203.0.113.7' -H 'X-Request-Id: xff-hop' "$issuer/oauth/token"
read -r instance address status < <(logged xff-hop)
{ [ "$address" = 203.0.113.7 ] && [ "$status" = 200 ]; } ||
  fail "through a trusted hop forwarding 203.0.113.7: instance $instance logged $address (status $status)"
ok "X-Forwarded-For: behind a trusted hop, instance $instance logs the address it forwarded (203.0.113.7)"

# --- Rate limits by the forwarded address -----------------------------------------------

# The limiter is per instance, and nginx alternates between two: a source
# reaches 429 on each after at most 100 failures there (SPEC §6), so within
# 200 here; 240 are sent.
statuses=$(wrong_secrets 240 "$issuer/oauth/token" 127.0.0.20 limit-a-) ||
  fail "curl: wrong secrets from 127.0.0.20"
bad=$(grep -cvE '^(401|429)$' <<<"$statuses" || true)
[ "$bad" -eq 0 ] || fail "wrong secrets from 127.0.0.20: statuses other than 401 and 429: $(sort <<<"$statuses" | uniq -c | tr '\n' ' ')"
first_429=$(grep -nm1 '^429$' <<<"$statuses" | cut -d: -f1) ||
  fail "240 wrong secrets through the proxy from 127.0.0.20 never got 429"
[ "$first_429" -le 200 ] || fail "the first 429 from 127.0.0.20 came at failure $first_429"
read -r first second < <(served limit-a- 429)
addresses=$(jq -Rr 'fromjson? | select(.msg == "request" and (.request_id | startswith("limit-a-")))
  | .remote_address' -- "${logs[@]}" | sort | uniq -c | sed 's/^ *//')
[ "$addresses" = "240 127.0.0.20" ] || fail "the instances logged the failures from 127.0.0.20 as: $addresses"
ok "rate limit: failures through the proxy from 127.0.0.20 (logged as such) got 429 from failure $first_429 on (429s: $first from instance 1, $second from instance 2)"

statuses=$(wrong_secrets 4 "$issuer/oauth/token" 127.0.0.21 limit-b-) ||
  fail "curl: wrong secrets from 127.0.0.21"
[ "$(tr '\n' ' ' <<<"$statuses")" = "401 401 401 401 " ] ||
  fail "wrong secrets from 127.0.0.21 while 127.0.0.20 is limited: $(tr '\n' ' ' <<<"$statuses")"
read -r first second < <(served limit-b- 401)
{ [ "$first" -gt 0 ] && [ "$second" -gt 0 ]; } || fail "the failures from 127.0.0.21 reached instances: $first and $second"
ok "rate limit: meanwhile failures from 127.0.0.21 get 401 from both instances ($first and $second)"

# --- Only from trusted proxies -----------------------------------------------------------

# Straight to instance 1 from 127.0.0.30, which is not a trusted proxy, each
# request forging another X-Forwarded-For: the instance logs and counts
# them as 127.0.0.30, so they reach 429 by the 100th although no forged
# address failed more than once.
statuses=""
for n in $(seq 1 120); do
  status=$(curl -sS --max-time 10 --interface 127.0.0.30 -o /dev/null -w '%{http_code}' \
    -u "${wrong_ids[$((n % 8))]}:wrong-secret" -d grant_type=client_credentials \
    -H "X-Forwarded-For: 198.51.100.$n" -H "X-Request-Id: forged-$n" "$direct_url/t/$slug/oauth/token") ||
    fail "curl: direct failure $n"
  statuses+="$status"$'\n'
  [ "$status" = 429 ] && break
done
[ "$status" = 429 ] || fail "120 direct failures from 127.0.0.30, each with another forged X-Forwarded-For, never got 429"
[ "$n" -le 101 ] || fail "the first direct 429 came at failure $n"
bad=$(grep -cvE '^(401|429)$' <<<"${statuses%$'\n'}" || true)
[ "$bad" -eq 0 ] || fail "direct failures got other statuses: $(sort <<<"$statuses" | uniq -c | tr '\n' ' ')"
addresses=$(jq -Rr 'fromjson? | select(.msg == "request" and (.request_id | startswith("forged-")))
  | .remote_address' -- "${logs[0]}" | sort | uniq -c | sed 's/^ *//')
[ "$addresses" = "$n 127.0.0.30" ] || fail "instance 1 logged the direct requests from 127.0.0.30 as: $addresses"
ok "direct request with a forged X-Forwarded-For from an untrusted peer: logged as 127.0.0.30, and $n failures with $n different forged addresses reached 429 (counted against 127.0.0.30)"
status=$(curl -sS --max-time 10 --interface 127.0.0.31 -o /dev/null -w '%{http_code}' \
  -u "${wrong_ids[0]}:wrong-secret" -d grant_type=client_credentials "$direct_url/t/$slug/oauth/token")
[ "$status" = 401 ] || fail "a direct failure from 127.0.0.31 while 127.0.0.30 is limited: $status"
ok "direct: meanwhile a failure from 127.0.0.31 gets 401"

# 127.0.0.1 is in TESSERA_TRUSTED_PROXIES: whatever connects from it is
# believed, proxy or not. This is the server's documented rule; it is why
# the list must name only the proxies, and the instances be reachable only
# through them.
curl -sS --max-time 10 -o /dev/null -u "$client_id:$client_secret" -d grant_type=client_credentials \
  -H 'X-Forwarded-For: 192.0.2.99' -H 'X-Request-Id: trusted-peer' "$direct_url/t/$slug/oauth/token"
read -r instance address status < <(logged trusted-peer)
[ "$address" = 192.0.2.99 ] || fail "direct from 127.0.0.1 claiming 192.0.2.99: logged $address"
ok "direct from 127.0.0.1 (a trusted proxy address) claiming 192.0.2.99: believed, as documented"

# --- What the proxy does not expose or accept --------------------------------------------

for path in /admin/v1/tenants /metrics; do
  code=$(through -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $admin_key" "$issuer_base$path")
  { [ "$code" = 404 ] && jq -e '.error | type == "string"' "$tmp/body" >/dev/null; } ||
    fail "$path through the proxy: HTTP $code $(head -c 200 "$tmp/body")"
  ok "$path through the proxy: 404 (the admin listener is not behind it)"
done

code=$(curl -sS --max-time 10 -o "$tmp/body" -w '%{http_code}' -u "$client_id:$client_secret" \
  -d grant_type=client_credentials "http://127.0.0.1:$proxy_port/t/$slug/oauth/token")
{ [ "$code" = 400 ] && grep -q 'The plain HTTP request was sent to HTTPS port' "$tmp/body"; } ||
  fail "plain HTTP to the TLS port: HTTP $code $(head -c 200 "$tmp/body")"
ok "plain HTTP to the TLS port: refused with nginx's 400, no redirect, no token"

# --- Failover and shutdown -----------------------------------------------------------------

stop_server 1
[ "$server_status" = 0 ] || fail "instance 2 exited $server_status on SIGTERM"
check_sanitizers "${logs[1]}" "tessera serve 2"
for n in $(seq 1 6); do
  code=$(through -o /dev/null -w '%{http_code}' -u "$client_id:$client_secret" \
    -d grant_type=client_credentials -H "X-Request-Id: failover-$n" "$issuer/oauth/token")
  [ "$code" = 200 ] || fail "token $n with instance 2 stopped: HTTP $code"
done
read -r first second < <(served failover- 200)
[ "$first" -eq 6 ] || fail "with instance 2 stopped, instance 1 served $first of 6"
ok "instance 2 stopped (exit 0 on SIGTERM): 6 of 6 token requests through the proxy served by instance 1"

stop_server 0
[ "$server_status" = 0 ] || fail "instance 1 exited $server_status on SIGTERM"
code=$(through -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' -u "$client_id:$client_secret" \
  -d grant_type=client_credentials "$issuer/oauth/token")
{ [ "$code" = 503 ] && [ "$(jq -r .error "$tmp/body")" = temporarily_unavailable ] &&
  grep -qi '^Retry-After: 1' "$tmp/headers" && grep -qi '^Content-Type: application/json' "$tmp/headers"; } ||
  fail "both instances stopped: HTTP $code $(head -c 200 "$tmp/body")"
ok "both instances stopped (exit 0 on SIGTERM): the proxy answers 503 temporarily_unavailable as JSON with Retry-After"

finish_tessera
if grep -E '\[(crit|alert|emerg)\]' -- "$tmp/nginx/error.log" >&2; then
  fail "nginx logged critical errors (above)"
fi
checks_done=1
printf 'proxy: %d checks ok\n' "$checks"
