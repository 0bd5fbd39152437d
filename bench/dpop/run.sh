#!/usr/bin/env bash
# bench/dpop/run.sh — what DPoP (RFC 9449) costs on token issuance,
# measured side by side on one server: /healthz, opaque Bearer tokens for a
# client with a secret (client_secret_post), and the same client's tokens
# bound by a fresh EdDSA proof on every request: the proof verified, its jti
# remembered in process (the replay check on this instance) and stored in
# the token's own batch statement (dpop_proof_jtis: the replay check across
# instances), the key's thumbprint stored with the token. Both token runs
# send one line of bench/wrk.lua's per-request file per request, so the
# client's own cost is the same and the ratio is the server's. Ratios of
# medians over the rounds, each run next to the /healthz run of its round.
#
# Environment: TESSERA_BENCH_DURATION [10] seconds per wrk run,
# TESSERA_BENCH_ROUNDS [3], TESSERA_BENCH_CONNECTIONS [64],
# TESSERA_BUILD_DIR [build-release].
set -euo pipefail

TESSERA_LOG_PREFIX=bench-dpop
run_prefix=dpop
# shellcheck source=bench/lib/one_server.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/one_server.sh"
# Enough proofs for a run at 20k tokens/s, each sent once.
proofs=$((duration * 20000))

api POST /tenants '{"slug":"bench","name":"bench"}' >/dev/null
api_id=$(api POST /tenants/bench/apis \
  '{"identifier":"https://api.bench.test","name":"API","scopes":[{"value":"read"}],"is_default":true}' | jq -r .id)
client=$(api POST /tenants/bench/clients '{"name":"dpop"}')
client_id=$(jq -r .client_id <<<"$client")
secret=$(jq -r .client_secret <<<"$client")
api PUT "/tenants/bench/clients/$client_id/grants/$api_id" '{"scopes":["read"]}' >/dev/null
token_endpoint=$public/t/bench/oauth/token
body="grant_type=client_credentials&client_id=$client_id&client_secret=$secret"
openssl genpkey -algorithm ed25519 -out "$run_dir/key.pem" 2>/dev/null

# The Bearer case: the same lines without a proof.
awk -v line="$body" -v n="$proofs" 'BEGIN {for (i = 0; i < n; i++) print "\t" line}' \
  >"$run_dir/bearer-lines.txt"

results=$run_dir/results.txt
: >"$results"
for ((round = 1; round <= rounds; round++)); do
  read -r health _ _ < <(bench_run "$run_dir/healthz-$round.wrk" "$public/healthz")
  read -r server0 pg0 < <(cpu_seconds)
  read -r bearer ok_bearer other_bearer < <(BENCH_METHOD=POST BENCH_BODIES="$run_dir/bearer-lines.txt" \
    bench_run "$run_dir/bearer-$round.wrk" "$token_endpoint")
  read -r server1 pg1 < <(cpu_seconds)
  # Made last, just before they are sent: a proof is accepted for a minute
  # after its iat (issued 25 s ahead, within the server's leeway).
  tessera_log "round $round: making $proofs proofs"
  /usr/bin/python3 "$root/bench/dpop/make_proofs.py" "$run_dir/key.pem" "$token_endpoint" \
    "$body" "$proofs" "$run_dir/proof-lines.txt"
  read -r server2 pg2 < <(cpu_seconds)
  read -r bound ok_bound other_bound < <(BENCH_METHOD=POST BENCH_BODIES="$run_dir/proof-lines.txt" \
    bench_run "$run_dir/dpop-$round.wrk" "$token_endpoint")
  read -r server3 pg3 < <(cpu_seconds)
  # CPU microseconds per token, of the server and of PostgreSQL.
  awk -v s0="$server0" -v s1="$server1" -v s2="$server2" -v s3="$server3" -v p0="$pg0" \
    -v p1="$pg1" -v p2="$pg2" -v p3="$pg3" -v b="$ok_bearer" -v d="$ok_bound" -v r="$round" \
    'BEGIN {printf "%d %.1f %.1f %.1f %.1f\n", r, (s1 - s0) * 1e6 / b, (s3 - s2) * 1e6 / d,
            (p1 - p0) * 1e6 / b, (p3 - p2) * 1e6 / d}' >>"$run_dir/cpu.txt"
  [ "$other_bearer" -eq 0 ] || tessera_die "round $round: $other_bearer Bearer requests were refused"
  [ "$other_bound" -eq 0 ] || tessera_die "round $round: $other_bound DPoP requests were refused"
  echo "$round $health $bearer $bound" >>"$results"
  tessera_log "round $round: healthz $health req/s, Bearer $bearer req/s ($ok_bearer tokens), DPoP $bound req/s ($ok_bound tokens)"
done

jtis=$(bench_sql "SELECT count(*) FROM dpop_proof_jtis")
bound_tokens=$(bench_sql "SELECT count(*) FROM tokens WHERE dpop_jkt IS NOT NULL")
bearer_ratio=$(awk '{printf "%.4f\n", $3 / $2}' "$results" | median)
bound_ratio=$(awk '{printf "%.4f\n", $4 / $2}' "$results" | median)
bound_vs_bearer=$(awk '{printf "%.4f\n", $4 / $3}' "$results" | median)
echo "DPoP: $rounds rounds of ${duration}s, $connections connections (results in $run_dir)"
echo "  per round: round healthz bearer dpop (req/s)"
sed 's/^/  /' "$results"
echo "  median Bearer/healthz: $bearer_ratio"
echo "  median DPoP/healthz:   $bound_ratio"
echo "  median DPoP/Bearer:    $bound_vs_bearer"
echo "  CPU µs per token: round server-Bearer server-DPoP postgres-Bearer postgres-DPoP"
sed 's/^/  /' "$run_dir/cpu.txt"
for column in 2 3 4 5; do
  awk -v c="$column" '{print $c}' "$run_dir/cpu.txt" | median
done | paste -sd ' ' | awk '{printf "  median CPU µs per token: server %s -> %s (+%.1f), postgres %s -> %s (+%.1f)\n",
  $1, $2, $2 - $1, $3, $4, $4 - $3}'
echo "  proof jtis stored: $jtis, DPoP-bound tokens: $bound_tokens"
