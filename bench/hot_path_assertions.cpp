// tessera_hot_path, client assertions (private_key_jwt): what
// authenticating with a key costs instead of a keyed hash (hot_path.cpp's
// `authenticate`). bench/README.md says what each case measures.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "crypto/public_jwk.hpp"
#include "domain/types.hpp"
#include "grants/client_assertion.hpp"
#include "grants/jti_replays.hpp"
#include "hot_path_keys.hpp"

namespace tessera::bench {
namespace {

using benchmark::DoNotOptimize;

// What authenticating with a client assertion costs instead of a keyed
// hash: verifying it (parse, signature, claims) with the client's one key
// of `alg`, then remembering its jti in process. The jti's row in the token
// batch is the rest of the replay check, measured end to end by
// bench/private_key_jwt.
void verify_assertion(benchmark::State& state, crypto::SigningAlg alg) {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
  const std::string client = "bench-client-0001";
  const std::string audience = "https://auth.example.test/t/acme/oauth/token";
  const nlohmann::json claims = {{"iss", client},
                                 {"sub", client},
                                 {"aud", audience},
                                 {"iat", seconds.count()},
                                 {"exp", seconds.count() + 60},
                                 {"jti", "0123456789abcdef"}};
  const nlohmann::json header = {{"alg", domain::to_string(alg)}, {"kid", "k1"}};
  const auto input = crypto::jws_signing_input(header.dump(), claims.dump());
  const auto key = SigningKey::make(alg);
  const auto signature = key.sign(input);
  auto jwk = key.jwk;
  jwk["kid"] = "k1";
  const std::vector<crypto::PublicJwk> keys{
      std::get<crypto::PublicJwk>(crypto::read_public_jwk(jwk))};
  const auto assertion = crypto::jws_compact(input, signature);
  for (auto _ : state) {
    DoNotOptimize(
        grants::verify_client_assertion(assertion, client, keys, {audience}, now).index());
  }
}
void verify_assertion_eddsa(benchmark::State& state) {
  verify_assertion(state, crypto::SigningAlg::eddsa);
}
BENCHMARK(verify_assertion_eddsa);
void verify_assertion_es256(benchmark::State& state) {
  verify_assertion(state, crypto::SigningAlg::es256);
}
BENCHMARK(verify_assertion_es256);
void verify_assertion_rs256(benchmark::State& state) {
  verify_assertion(state, crypto::SigningAlg::rs256);
}
BENCHMARK(verify_assertion_rs256);

// The in-process replay check: a new jti remembered (the map grows, as
// it does until expired entries are swept).
void assertion_first_use(benchmark::State& state) {
  grants::JtiReplays replays;
  const auto now = std::chrono::system_clock::now();
  std::uint64_t n = 0;
  for (auto _ : state) {
    DoNotOptimize(replays.first_use(domain::TenantId{1}, "bench-client-0001", std::to_string(++n),
                                    now + std::chrono::minutes(5), now));
  }
}
BENCHMARK(assertion_first_use);

}  // namespace
}  // namespace tessera::bench
