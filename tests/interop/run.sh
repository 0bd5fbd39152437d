#!/usr/bin/env bash
# tests/interop/run.sh <tessera binary> — interoperability with software
# nobody here wrote (ctest: interop_tests). Starts `tessera serve` on free
# ports against a fresh database on TESSERA_TEST_DATABASE_URL's server,
# creates through the admin API a tenant, an opaque API, four JWT APIs (one
# per signing algorithm: EdDSA by default, ES256 and RS256 by `signing_alg`)
# and three clients (one granted on every API, one whose tokens live 1 s, a
# gateway's that may only introspect), then runs, each in its own file:
# - oauthlib_client.py: Python requests-oauthlib (Debian's) fetches tokens with
#   client_secret_basic and with the credentials in the body, and a wrong
#   secret is refused;
# - openid_client.mjs: Node openid-client + jose: RFC 8414 discovery, the
#   grant, introspection, revocation, an EdDSA JWT verified by jose;
# - jwks_verifiers.mjs: jose's createRemoteJWKSet + jwtVerify, with jwks_uri
#   from OpenID discovery (openid-configuration, as AWS API Gateway reads
#   it), verify an RFC 9068 JWT of each of EdDSA, ES256, RS256 (issuer,
#   audience, typ at+jwt, the one algorithm) and refuse wrong expectations,
#   a forged signature and an expired token;
# - pyjwt_verifier.py: PyJWT (Debian's python3-jwt) with PyJWKClient and
#   jwt.decode does the same, and checks every claim RFC 9068 requires, the
#   header and that the kid is in the JWKS;
# - nginx_gateway.sh: an nginx (Debian's, with the njs module) whose njs
#   handler introspects the bearer token (RFC 7662) in front of a dummy
#   upstream lets an opaque token and a JWT of each algorithm through, and
#   answers 401 to no token, garbage, a revoked and an expired token.
# - private_key_jwt.mjs and dpop.mjs: jose makes client assertions (RFC
#   7523) and DPoP proofs (RFC 9449) for a second instance as well, checked
#   as those files say.
# Any failed step fails the test, and so does a server that does not exit 0
# on SIGTERM or (sanitized) prints a sanitizer report; nothing is ever
# skipped: a missing package is a failure that names it.
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
"$python" -c 'import jwt' 2>/dev/null ||
  fail "jwt (PyJWT) is not importable by $python (Debian package python3-jwt)"
# Without cryptography PyJWT knows only the HMAC algorithms.
"$python" -c 'from jwt.algorithms import has_crypto; assert has_crypto' 2>/dev/null ||
  fail "PyJWT has no EdDSA/ES256/RS256 for $python (Debian package python3-cryptography)"
# Debian keeps nginx in /usr/sbin, which may not be on a user's PATH.
[ -x /usr/sbin/nginx ] || fail "/usr/sbin/nginx is missing (Debian package nginx)"
[ -f /usr/lib/nginx/modules/ngx_http_js_module.so ] ||
  fail "nginx's njs module is missing (Debian package libnginx-mod-http-js)"
if [ ! -d "$here/node_modules/openid-client" ] || [ ! -d "$here/node_modules/jose" ]; then
  fail "tests/interop/node_modules is missing: run 'npm ci' in tests/interop (scripts/test does)"
fi

# --- A database and a server of our own ----------------------------------------

# shellcheck source=tests/support/tessera_server.sh
. "$here/../support/tessera_server.sh"
# jwks_uri on 127.0.0.1 (private_key_jwt.mjs serves one): allowed for tests.
start_tessera "$tessera" interop TESSERA_ALLOW_INSECURE_JWKS_URI=1

# --- The world, through the admin API -------------------------------------------

slug=interop
opaque_api=https://api.interop.test
jwt_api=https://jwt.interop.test
eddsa_api=https://eddsa.interop.test
es256_api=https://es256.interop.test
rs256_api=https://rs256.interop.test
scopes='[{"value":"read"},{"value":"write"}]'
admin POST /tenants '{"slug":"'$slug'","name":"Interop"}' >/dev/null
opaque_api_id=$(admin POST "/tenants/$slug/apis" \
  '{"identifier":"'$opaque_api'","name":"Opaque API","is_default":true,"scopes":'"$scopes"'}' | jq -er .id)
jwt_api_id=$(admin POST "/tenants/$slug/apis" \
  '{"identifier":"'$jwt_api'","name":"JWT API","token_format":"jwt","scopes":'"$scopes"'}' | jq -er .id)
# One JWT API per algorithm: EdDSA is what an API gets without signing_alg
# (neither it nor the tenant names one), the others it asks for.
signed_api_ids=()
for spec in "$eddsa_api EdDSA" "$es256_api ES256" "$rs256_api RS256"; do
  read -r identifier alg <<<"$spec"
  body=$(jq -nc --arg identifier "$identifier" --arg alg "$alg" --argjson scopes "$scopes" \
    '{identifier: $identifier, name: "\($alg) API", token_format: "jwt", scopes: $scopes}
     + if $alg == "EdDSA" then {} else {signing_alg: $alg} end')
  signed_api_ids+=("$(admin POST "/tenants/$slug/apis" "$body" | jq -er .id)")
done
client=$(admin POST "/tenants/$slug/clients" '{"name":"Interop client","can_introspect":true}')
client_id=$(jq -er .client_id <<<"$client")
client_secret=$(jq -er .client_secret <<<"$client")
# Its tokens live one second: the verifiers' and the gateway's expired ones.
short_client=$(admin POST "/tenants/$slug/clients" '{"name":"Short-lived tokens","token_ttl":1}')
short_client_id=$(jq -er .client_id <<<"$short_client")
short_client_secret=$(jq -er .client_secret <<<"$short_client")
# The gateway's own credentials: it introspects others' tokens, holds no grant.
gateway=$(admin POST "/tenants/$slug/clients" '{"name":"nginx gateway","can_introspect":true}')
gateway_client_id=$(jq -er .client_id <<<"$gateway")
gateway_client_secret=$(jq -er .client_secret <<<"$gateway")
for api_id in "$opaque_api_id" "$jwt_api_id" "${signed_api_ids[@]}"; do
  for granted in "$client_id" "$short_client_id"; do
    admin PUT "/tenants/$slug/clients/$granted/grants/$api_id" '{"scopes":["read","write"]}' >/dev/null
  done
done

export TESSERA_INTEROP_ISSUER="$public_url/t/$slug"
export TESSERA_INTEROP_CLIENT_ID="$client_id"
export TESSERA_INTEROP_CLIENT_SECRET="$client_secret"
export TESSERA_INTEROP_OPAQUE_API="$opaque_api"
export TESSERA_INTEROP_JWT_API="$jwt_api"
export TESSERA_INTEROP_EDDSA_API="$eddsa_api"
export TESSERA_INTEROP_ES256_API="$es256_api"
export TESSERA_INTEROP_RS256_API="$rs256_api"
export TESSERA_INTEROP_SHORT_CLIENT_ID="$short_client_id"
export TESSERA_INTEROP_SHORT_CLIENT_SECRET="$short_client_secret"
export TESSERA_INTEROP_GATEWAY_CLIENT_ID="$gateway_client_id"
export TESSERA_INTEROP_GATEWAY_CLIENT_SECRET="$gateway_client_secret"
export TESSERA_INTEROP_SLUG="$slug"
export TESSERA_INTEROP_ADMIN_URL="$admin_url"
export TESSERA_INTEROP_ADMIN_KEY="$admin_key"
export TESSERA_INTEROP_OPAQUE_API_ID="$opaque_api_id"
export TESSERA_INTEROP_JWT_API_ID="$jwt_api_id"

# --- The clients ------------------------------------------------------------------

log "python: requests-oauthlib"
OAUTHLIB_INSECURE_TRANSPORT=1 "$python" "$here/oauthlib_client.py" || fail "requests-oauthlib"

log "node: openid-client and jose"
node "$here/openid_client.mjs" || fail "openid-client / jose"

log "node: jose verifies a JWT of each algorithm through OpenID discovery"
node "$here/jwks_verifiers.mjs" || fail "jose (jwks_verifiers.mjs)"

log "python: PyJWT verifies a JWT of each algorithm through OpenID discovery"
"$python" "$here/pyjwt_verifier.py" || fail "PyJWT"

log "nginx: an njs gateway that introspects bearer tokens"
bash "$here/nginx_gateway.sh" || fail "nginx gateway"

log "node: private_key_jwt with assertions made by jose, on two instances"
start_tessera_instance
TESSERA_INTEROP_SECOND_PUBLIC_URL="$instance_public_url" node "$here/private_key_jwt.mjs" ||
  fail "private_key_jwt (private_key_jwt.mjs)"

log "node: DPoP with proofs made by jose, on two instances"
TESSERA_INTEROP_SECOND_PUBLIC_URL="$instance_public_url" node "$here/dpop.mjs" ||
  fail "DPoP (dpop.mjs)"

# The server must stop cleanly, and a sanitized one without a report (a
# leak shows only now, at exit).
finish_tessera

log "all interoperability checks passed"
