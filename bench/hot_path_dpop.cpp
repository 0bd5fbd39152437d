// tessera_hot_path, DPoP proofs (RFC 9449): what binding a token to the
// client's key costs a token request on top of its authentication.
// bench/README.md says what each case measures.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "crypto/key_ring.hpp"
#include "grants/dpop_check.hpp"
#include "hot_path_keys.hpp"

namespace tessera::bench {
namespace {

using benchmark::DoNotOptimize;

const std::string kHtu = "https://auth.example.test/t/acme/oauth/token";

crypto::SubKey nonce_key() {
  return crypto::GuardedKey::make([](unsigned char* out) { randombytes_buf(out, 32); });
}

std::string proof(const SigningKey& key, domain::SigningAlg alg, std::int64_t iat,
                  const std::string& jti) {
  const nlohmann::json header = {
      {"typ", "dpop+jwt"}, {"alg", domain::to_string(alg)}, {"jwk", key.jwk}};
  const nlohmann::json claims = {{"jti", jti}, {"htm", "POST"}, {"htu", kHtu}, {"iat", iat}};
  auto input = crypto::jws_signing_input(header.dump(), claims.dump());
  const auto signature = key.sign(input);
  return crypto::jws_compact(std::move(input), signature);
}

// Verifying one proof: parse, its JWK read (an RSA or EC key through DER:
// OpenSSL 3 makes that the dearest part), the signature, the claims and the
// normalised htu. The same proof each time: the jti is the caller's (the
// next case). With `kept`, the key is read once and then found in a
// DpopKeys, as the token endpoint does.
void verify_dpop_proof(benchmark::State& state, domain::SigningAlg alg, bool kept = false) {
  const auto now = std::chrono::system_clock::now();
  const auto iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto key = SigningKey::make(alg);
  const auto text = proof(key, alg, iat, "0123456789abcdef");
  const grants::DpopTarget target{"POST", {kHtu}};
  grants::DpopKeys keys;
  for (auto _ : state) {
    DoNotOptimize(grants::verify_dpop_proof(text, target, now, kept ? &keys : nullptr).index());
  }
}
void verify_dpop_proof_eddsa(benchmark::State& state) {
  verify_dpop_proof(state, domain::SigningAlg::eddsa);
}
BENCHMARK(verify_dpop_proof_eddsa);
void verify_dpop_proof_es256(benchmark::State& state) {
  verify_dpop_proof(state, domain::SigningAlg::es256);
}
BENCHMARK(verify_dpop_proof_es256);
void verify_dpop_proof_rs256(benchmark::State& state) {
  verify_dpop_proof(state, domain::SigningAlg::rs256);
}
BENCHMARK(verify_dpop_proof_rs256);
void verify_dpop_proof_kept_key_es256(benchmark::State& state) {
  verify_dpop_proof(state, domain::SigningAlg::es256, true);
}
BENCHMARK(verify_dpop_proof_kept_key_es256);
void verify_dpop_proof_kept_key_rs256(benchmark::State& state) {
  verify_dpop_proof(state, domain::SigningAlg::rs256, true);
}
BENCHMARK(verify_dpop_proof_kept_key_rs256);

// The whole check of a token request's proof, as the token endpoint runs
// it: verification and the in-process replay check of a new jti (proofs
// made beforehand, each checked once). The jti's row in the token batch is
// the rest of the replay check, measured end to end by bench/dpop.
void check_dpop_eddsa(benchmark::State& state) {
  const auto now = std::chrono::system_clock::now();
  const auto iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto key = SigningKey::make(domain::SigningAlg::eddsa);
  std::vector<std::vector<std::string>> proofs;
  for (int i = 0; i < 20'000; ++i) {
    proofs.push_back({proof(key, domain::SigningAlg::eddsa, iat, "jti-" + std::to_string(i))});
  }
  grants::JtiReplays replays;
  const grants::DpopNonces nonces{crypto::SubKeyRing(nonce_key())};
  grants::DpopKeys keys;
  domain::Client client;
  client.client_id = domain::ClientId{"bench-client-0001"};
  const grants::DpopTarget target{"POST", {kHtu}};
  std::size_t next = 0;
  for (auto _ : state) {
    if (next == proofs.size()) {
      state.SkipWithError("out of proofs");
      break;
    }
    DoNotOptimize(grants::check_dpop({replays, nonces, keys}, proofs[next++], target,
                                     domain::TenantId{1}, client, now));
  }
}
BENCHMARK(check_dpop_eddsa)->Iterations(20'000);

// A server nonce checked (a client with dpop_nonce): one keyed hash.
void dpop_nonce_accepts(benchmark::State& state) {
  const grants::DpopNonces nonces{crypto::SubKeyRing(nonce_key())};
  const auto now = std::chrono::system_clock::now();
  const auto nonce = nonces.issue(domain::TenantId{1}, "bench-client-0001", now);
  for (auto _ : state) {
    DoNotOptimize(nonces.accepts(nonce, domain::TenantId{1}, "bench-client-0001", now));
  }
}
BENCHMARK(dpop_nonce_accepts);

}  // namespace
}  // namespace tessera::bench
