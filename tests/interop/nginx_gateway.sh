#!/usr/bin/env bash
# tests/interop/nginx_gateway.sh — Tessera behind an API gateway it did not
# write: Debian's nginx with the njs module (libnginx-mod-http-js), whose
# handler nginx/introspect.js sends each request's bearer token to the
# tenant's introspection endpoint (RFC 7662) through `auth_request`, in front
# of a dummy upstream. Checks that an opaque token and a JWT of each signing
# algorithm pass (200 and the upstream's body, which echoes the client_id and
# aud the gateway learnt), and that no token, garbage, another scheme, a
# revoked token (RFC 7009) and an expired one get 401 with a Bearer
# challenge. Run by run.sh, which sets TESSERA_INTEROP_*; nginx runs
# unprivileged in a temporary directory on free ports (never port 80) and is
# stopped on exit.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)

log() { printf 'nginx gateway: %s\n' "$*" >&2; }
fail() {
  log "FAILED: $*"
  exit 1
}

for name in ISSUER CLIENT_ID CLIENT_SECRET SHORT_CLIENT_ID SHORT_CLIENT_SECRET \
  GATEWAY_CLIENT_ID GATEWAY_CLIENT_SECRET OPAQUE_API EDDSA_API ES256_API RS256_API; do
  var=TESSERA_INTEROP_$name
  [ -n "${!var:-}" ] || fail "$var is not set (run tests/interop/run.sh)"
done
issuer=$TESSERA_INTEROP_ISSUER
nginx=/usr/sbin/nginx
js_module=/usr/lib/nginx/modules/ngx_http_js_module.so
[ -x "$nginx" ] || fail "$nginx is missing (Debian package nginx)"
[ -f "$js_module" ] || fail "$js_module is missing (Debian package libnginx-mod-http-js)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tessera-nginx.XXXXXX")
nginx_pid=""
cleanup() {
  local rc=$?
  if [ -n "$nginx_pid" ]; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -f "$tmp/error.log" ]; then
    log "nginx's error log:"
    tail -n 30 -- "$tmp/error.log" >&2 || true
  fi
  rm -rf -- "$tmp"
  exit "$rc"
}
trap cleanup EXIT

# token <client id> <secret> <resource>: a fresh access token (RFC 6749 §4.4).
token() {
  curl -fsS --max-time 10 -u "$1:$2" -d grant_type=client_credentials \
    --data-urlencode "resource=$3" "$issuer/oauth/token" | jq -er .access_token
}

# The tokens that must have expired by the end: issued first, so that the
# other checks run while they age.
apis=("$TESSERA_INTEROP_OPAQUE_API" "$TESSERA_INTEROP_EDDSA_API"
  "$TESSERA_INTEROP_ES256_API" "$TESSERA_INTEROP_RS256_API")
short_tokens=()
for api in "${apis[@]}"; do
  short_tokens+=("$(token "$TESSERA_INTEROP_SHORT_CLIENT_ID" "$TESSERA_INTEROP_SHORT_CLIENT_SECRET" "$api")") ||
    fail "a short-lived token for $api"
done
short_issued=$(date +%s)

# The gateway knows the server as a resource server would: from RFC 8414
# discovery, with credentials of its own.
introspection_endpoint=$(curl -fsS --max-time 10 "$issuer/.well-known/oauth-authorization-server" |
  jq -er .introspection_endpoint) || fail "introspection_endpoint from discovery"
# Client ids and generated secrets are [A-Za-z0-9_-] (SPEC §3), so the
# form-urlencoding RFC 6749 §2.3.1 asks for before base64 changes nothing.
basic=$(printf '%s:%s' "$TESSERA_INTEROP_GATEWAY_CLIENT_ID" "$TESSERA_INTEROP_GATEWAY_CLIENT_SECRET" |
  base64 -w0)

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
gateway_port=$(free_port)
upstream_port=$(free_port)
while [ "$upstream_port" = "$gateway_port" ]; do upstream_port=$(free_port); done
gateway=http://127.0.0.1:$gateway_port

# A master started as root hands its workers to `nobody`, who could not
# write our temporary directory: keep them as whoever we are.
user_line=""
if [ "$(id -u)" -eq 0 ]; then
  user_line="user $(id -un) $(id -gn);"
fi
mkdir -p "$tmp/temp"
# Everything nginx writes is under $tmp; -e keeps it off /var/log/nginx even
# before this file is read. The upstream's `return` is in a server of its
# own: in the gateway's location it would answer in the rewrite phase,
# before auth_request (access phase) ever ran.
cat >"$tmp/nginx.conf" <<EOF
load_module $js_module;
$user_line
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/error.log info;
events { worker_connections 64; }
http {
  access_log $tmp/access.log;
  client_body_temp_path $tmp/temp/client_body;
  proxy_temp_path $tmp/temp/proxy;
  fastcgi_temp_path $tmp/temp/fastcgi;
  uwsgi_temp_path $tmp/temp/uwsgi;
  scgi_temp_path $tmp/temp/scgi;
  default_type text/plain;
  js_path "$here/nginx";
  js_import introspect from introspect.js;

  server {
    listen 127.0.0.1:$upstream_port;
    location / {
      return 200 "upstream ok client_id=\$http_x_token_client_id aud=\$http_x_token_aud\n";
    }
  }

  server {
    listen 127.0.0.1:$gateway_port;
    location / {
      auth_request /_introspect;
      auth_request_set \$token_client_id \$sent_http_x_token_client_id;
      auth_request_set \$token_aud \$sent_http_x_token_aud;
      # auth_request hands a 401's WWW-Authenticate on only when the
      # subrequest set nginx's own pointer to it, which njs 0.7.9's
      # r.headersOut does not: pass it on by hand (an empty value adds none).
      auth_request_set \$token_challenge \$sent_http_www_authenticate;
      add_header WWW-Authenticate \$token_challenge always;
      # Set here, so a client cannot send its own.
      proxy_set_header X-Token-Client-Id \$token_client_id;
      proxy_set_header X-Token-Aud \$token_aud;
      proxy_pass http://127.0.0.1:$upstream_port;
    }
    location = /_introspect {
      internal;
      set \$introspection_endpoint "$introspection_endpoint";
      set \$introspection_authorization "Basic $basic";
      js_content introspect.check;
    }
  }
}
EOF

"$nginx" -t -q -p "$tmp/" -e "$tmp/error.log" -c "$tmp/nginx.conf" 2>"$tmp/nginx-t.log" || {
  cat -- "$tmp/nginx-t.log" >&2
  fail "nginx -t refused the generated configuration"
}
"$nginx" -p "$tmp/" -e "$tmp/error.log" -c "$tmp/nginx.conf" &
nginx_pid=$!
ready=0
for _ in $(seq 1 100); do
  kill -0 "$nginx_pid" 2>/dev/null || fail "nginx exited at start"
  if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$gateway/")" != 000 ]; then
    ready=1
    break
  fi
  sleep 0.1
done
[ "$ready" -eq 1 ] || fail "nginx did not listen on $gateway within 10 s"
log "nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///') with njs is up on $gateway"

checks=0
# expect <what> <status> <body or -> <error in the challenge or -> [curl args]:
# a GET of the gateway answers <status>; a 200 with exactly <body>, a 401
# with `WWW-Authenticate: Bearer realm="gateway"` and, unless -, that error.
expect() {
  local what=$1 status=$2 body=$3 error=$4
  shift 4
  local code challenge
  code=$(curl -sS --max-time 10 -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "$@" "$gateway/resource") ||
    fail "$what: curl"
  [ "$code" = "$status" ] || fail "$what: HTTP $code, expected $status: $(head -c 300 "$tmp/body")"
  if [ "$status" = 200 ]; then
    [ "$(cat "$tmp/body")" = "$body" ] || fail "$what: body '$(cat "$tmp/body")', expected '$body'"
  else
    challenge=$(grep -i '^WWW-Authenticate:' "$tmp/headers" | tr -d '\r') || true
    local want='WWW-Authenticate: Bearer realm="gateway"'
    [ "$error" = - ] || want="$want, error=\"$error\""
    [ "${challenge,,}" = "${want,,}" ] || fail "$what: '$challenge', expected '$want'"
  fi
  checks=$((checks + 1))
  printf 'ok - %s\n' "$what"
}

expect "no token: 401" 401 - -
expect "garbage: 401" 401 - invalid_token -H 'Authorization: Bearer not-a-token'
expect "a JWT-shaped forgery: 401" 401 - invalid_token -H 'Authorization: Bearer eyJhbGciOiJub25lIn0.e30.'
expect "another scheme: 401" 401 - invalid_request \
  -H "Authorization: Basic $basic"

names=(opaque EdDSA ES256 RS256)
for i in "${!apis[@]}"; do
  api=${apis[$i]} name=${names[$i]}
  access=$(token "$TESSERA_INTEROP_CLIENT_ID" "$TESSERA_INTEROP_CLIENT_SECRET" "$api") ||
    fail "a token for $api"
  case $name in
    opaque) [[ $access == tsat_* ]] || fail "expected an opaque token for $api: $access" ;;
    *)
      header=$(cut -d. -f1 <<<"$access" | tr '_-' '/+' | base64 -d 2>/dev/null) || true
      # base64 -d may stop at the missing padding; what it decoded is enough.
      [[ $header == *"\"alg\":\"$name\""* ]] || fail "expected a JWT signed with $name for $api: $header"
      ;;
  esac
  expect "$name token: 200 from the upstream" 200 \
    "upstream ok client_id=$TESSERA_INTEROP_CLIENT_ID aud=$api" - \
    -H "Authorization: Bearer $access" -H 'X-Token-Client-Id: spoofed'
  # RFC 7009 revocation by the client that holds the token.
  curl -fsS --max-time 10 -u "$TESSERA_INTEROP_CLIENT_ID:$TESSERA_INTEROP_CLIENT_SECRET" \
    --data-urlencode "token=$access" "$issuer/oauth/revoke" >/dev/null || fail "revoking the $name token"
  expect "$name token, revoked: 401" 401 - invalid_token -H "Authorization: Bearer $access"
done

# A token of 1 s is active until iat + 1 (whole seconds), at most one second
# after short_issued: a second later than that it has expired.
while [ "$(date +%s)" -lt $((short_issued + 3)) ]; do sleep 0.2; done
for i in "${!apis[@]}"; do
  expect "${names[$i]} token, expired: 401" 401 - invalid_token \
    -H "Authorization: Bearer ${short_tokens[$i]}"
done

# The handler logs what it could not do (introspection unreachable, not
# 200, not JSON); none of it may have happened behind the answers above.
if grep -E '\[(error|crit|alert|emerg)\]' -- "$tmp/error.log" >&2; then
  fail "nginx logged errors (above)"
fi
printf 'nginx gateway: %d checks ok\n' "$checks"
