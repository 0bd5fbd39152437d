#!/usr/bin/env bash
# bench/private_key_jwt/run.sh — what private_key_jwt costs on token
# issuance, measured side by side on one server: /healthz, opaque tokens for
# a client with a secret (client_secret_post), and opaque tokens for a key-only client
# whose every request carries a fresh EdDSA assertion (verified, its jti
# remembered in process and stored in the token's own batch statement).
# Ratios of medians over the rounds, each run next to the /healthz run of
# its round (these machines are noisy: only figures taken together compare).
#
# Environment: TESSERA_BENCH_DURATION [10] seconds per wrk run,
# TESSERA_BENCH_ROUNDS [3], TESSERA_BENCH_CONNECTIONS [64],
# TESSERA_BUILD_DIR [build-release].
set -euo pipefail

TESSERA_LOG_PREFIX=bench-pkjwt
run_prefix=pkjwt
# shellcheck source=bench/lib/one_server.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/one_server.sh"
# Enough assertions for a run at 30k tokens/s, each sent once.
assertions=$((duration * 30000))

api POST /tenants '{"slug":"bench","name":"bench"}' >/dev/null
api_id=$(api POST /tenants/bench/apis \
  '{"identifier":"https://api.bench.test","name":"API","scopes":[{"value":"read"}],"is_default":true}' | jq -r .id)
secret_client=$(api POST /tenants/bench/clients '{"name":"secret"}')
secret_id=$(jq -r .client_id <<<"$secret_client")
secret=$(jq -r .client_secret <<<"$secret_client")
api PUT "/tenants/bench/clients/$secret_id/grants/$api_id" '{"scopes":["read"]}' >/dev/null

openssl genpkey -algorithm ed25519 -out "$run_dir/key.pem" 2>/dev/null
x=$(openssl pkey -in "$run_dir/key.pem" -pubout -outform DER | tail -c 32 | basenc --base64url | tr -d '=')
key_client=$(api POST /tenants/bench/clients \
  '{"name":"keys","token_endpoint_auth_method":"private_key_jwt","jwks":{"keys":[{"kty":"OKP","crv":"Ed25519","x":"'"$x"'","kid":"bench"}]}}')
key_id=$(jq -r .client_id <<<"$key_client")
api PUT "/tenants/bench/clients/$key_id/grants/$api_id" '{"scopes":["read"]}' >/dev/null
token_endpoint=$public/t/bench/oauth/token

# The secret client's requests go through the same wrk path (a body from a
# file per request, client_secret_post), so that the client's own cost is
# the same in both cases and the ratio is the server's.
awk -v line="grant_type=client_credentials&client_id=$secret_id&client_secret=$secret" \
  -v n="$assertions" 'BEGIN {for (i = 0; i < n; i++) print line}' >"$run_dir/secret-bodies.txt"

results=$run_dir/results.txt
: >"$results"
for ((round = 1; round <= rounds; round++)); do
  tessera_log "round $round: making $assertions assertions"
  /usr/bin/python3 "$root/bench/private_key_jwt/make_assertions.py" "$run_dir/key.pem" "$key_id" \
    "$token_endpoint" "$assertions" "$run_dir/bodies.txt"
  read -r health _ _ < <(bench_run "$run_dir/healthz-$round.wrk" "$public/healthz")
  read -r with_secret ok_secret other_secret < <(BENCH_METHOD=POST BENCH_BODIES="$run_dir/secret-bodies.txt" \
    bench_run "$run_dir/secret-$round.wrk" "$token_endpoint")
  read -r with_key ok_key other_key < <(BENCH_METHOD=POST BENCH_BODIES="$run_dir/bodies.txt" \
    bench_run "$run_dir/assertion-$round.wrk" "$token_endpoint")
  [ "$other_secret" -eq 0 ] || tessera_die "round $round: $other_secret secret requests were refused"
  [ "$other_key" -eq 0 ] || tessera_die "round $round: $other_key assertion requests were refused"
  echo "$round $health $with_secret $with_key" >>"$results"
  tessera_log "round $round: healthz $health req/s, secret $with_secret req/s ($ok_secret tokens), assertion $with_key req/s ($ok_key tokens)"
done

jtis=$(bench_sql "SELECT count(*) FROM client_assertion_jtis")
secret_ratio=$(awk '{printf "%.4f\n", $3 / $2}' "$results" | median)
key_ratio=$(awk '{printf "%.4f\n", $4 / $2}' "$results" | median)
key_vs_secret=$(awk '{printf "%.4f\n", $4 / $3}' "$results" | median)
echo "private_key_jwt: $rounds rounds of ${duration}s, $connections connections (results in $run_dir)"
echo "  per round: round healthz secret assertion (req/s)"
sed 's/^/  /' "$results"
echo "  median secret/healthz:    $secret_ratio"
echo "  median assertion/healthz: $key_ratio"
echo "  median assertion/secret:  $key_vs_secret"
echo "  jtis stored: $jtis"
