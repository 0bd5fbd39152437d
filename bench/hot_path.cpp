// tessera_hot_path — what one token request costs in CPU, step by step,
// without HTTP and without the database: the parts a token request runs on
// a reactor thread (parse, authenticate, decide, mint, answer, log) and the
// batcher's per-record work. Google Benchmark; built with the server
// (bench/CMakeLists.txt):
//
//   cmake --build build-release --target tessera_hot_path
//   build-release/bin/tessera_hot_path [--benchmark_filter=jwt]
//
// By default each case runs 5 repetitions of at least 0.3 s and shows their
// mean, median, standard deviation and coefficient of variation: the
// machines are noisy, so read the median (its CPU column is the cost on one
// core). Any --benchmark_* flag overrides these defaults. bench/README.md
// says what each case measures. The fixture is in hot_path_fixture.hpp, the
// framing and parsing cases in hot_path_parsing.cpp.
#include "crypto/pkey.hpp"
#include "hot_path_fixture.hpp"
#include "metrics/probes.hpp"

namespace tessera::bench {
namespace {

// --- Caches ---------------------------------------------------------------------

// Serves the fixture's tenant and client, as PostgreSQL would on a miss.
class FixtureStore : public store::ClientCredentialsStore {
 public:
  std::optional<domain::TenantView> load_tenant(const std::string&) override {
    return fixture().tenant;
  }
  std::optional<std::string> slug_for_domain(const std::string&) override { return std::nullopt; }
  std::optional<domain::ClientView> load_client(domain::TenantId, const std::string&) override {
    return fixture().client;
  }
};

// The two cache lookups of a token request (tenant, then client), without
// and with the freshness rules (feed heartbeat, TESSERA_CACHE_MAX_AGE).
// Both read the clock once per lookup (steady_clock_now): the backstop
// costs the difference plus two clock reads per request.
void lookups(benchmark::State& state, cache::Directory& directory) {
  const auto& f = fixture();
  directory.tenant("acme", true);
  directory.client(f.tenant.tenant.id, f.client_id, true);
  for (auto _ : state) {
    DoNotOptimize(directory.tenant("acme", false).found() +
                  directory.client(f.tenant.tenant.id, f.client_id, false).found());
  }
}

void directory_lookups(benchmark::State& state) {
  static FixtureStore store;
  static cache::Directory plain(store, crypto::SubKeyRing(fixture().seal_key));
  lookups(state, plain);
}
BENCHMARK(directory_lookups);

void directory_lookups_fresh(benchmark::State& state) {
  static FixtureStore store;
  static cache::Freshness freshness(std::chrono::seconds(60), std::chrono::hours(1));
  freshness.confirm(freshness.now());
  static cache::Directory checked(store, crypto::SubKeyRing(fixture().seal_key), {}, freshness);
  lookups(state, checked);
}
BENCHMARK(directory_lookups_fresh);

void steady_clock_now(benchmark::State& state) {
  for (auto _ : state) DoNotOptimize(std::chrono::steady_clock::now());
}
BENCHMARK(steady_clock_now);

// --- Authenticate, decide, mint -------------------------------------------------

// Keyed BLAKE2b of the presented secret, constant-time compare.
void authenticate(benchmark::State& state) {
  const auto& f = fixture();
  grants::ClientAuthenticator authenticator(crypto::SubKeyRing(f.secret_key));
  for (auto _ : state) DoNotOptimize(authenticator.check_fast(&f.client, f.secret, f.now).outcome);
}
BENCHMARK(authenticate);

void decide_audience_and_scopes(benchmark::State& state) {
  const auto& f = fixture();
  const auto request = parse(f.request);
  for (auto _ : state) {
    DoNotOptimize(grants::decide_client_credentials(request, f.tenant, f.client).scopes.size());
  }
}
BENCHMARK(decide_audience_and_scopes);

// A getrandom call.
void randombytes_32(benchmark::State& state) {
  for (auto _ : state) {
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    DoNotOptimize(bytes[0]);
  }
}
BENCHMARK(randombytes_32);

// 32 random bytes, a keyed hash, base64url.
void mint_opaque(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) {
    DoNotOptimize(tokens::mint_opaque_token(f.token_key, crypto::uuid7(f.now)).value.size());
  }
}
BENCHMARK(mint_opaque);

// An EdDSA JWT of the tenant's active key: header and payload JSON,
// base64url, one Ed25519 signature.
void mint_jwt(benchmark::State& state) {
  const auto claims = jwt_claims();
  for (auto _ : state) DoNotOptimize(signed_jwt(claims).size());
}
BENCHMARK(mint_jwt);

// Two parts of mint_jwt. The Ed25519 signature alone, over a signing input
// of the size mint_jwt signs: the floor of a JWT's cost.
void ed25519_sign(benchmark::State& state) {
  const auto& f = fixture();
  const auto& key = f.tenant.keys.front();
  const auto secret =
      crypto::open_sealed(f.seal_key, key.sealed_private_key,
                          crypto::signing_key_associated_data(f.tenant.tenant.id, key.kid));
  const auto token = signed_jwt(jwt_claims());
  const std::string input = token.substr(0, token.rfind('.'));
  unsigned char signature[crypto_sign_BYTES];
  for (auto _ : state) {
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(input.data()),
                         input.size(), reinterpret_cast<const unsigned char*>(secret->data()));
    DoNotOptimize(signature[0]);
  }
}
BENCHMARK(ed25519_sign);

// The same signing input signed and verified with OpenSSL 3 (crypto/pkey.hpp):
// what an ES256 or RS256 tenant's JWT costs instead of ed25519_sign. One key
// pair per algorithm, made once.
const crypto::PkeyPair& pkey_pair(crypto::SigningAlg alg) {
  static const auto es256 = crypto::pkey_generate(crypto::SigningAlg::es256);
  static const auto rs256 = crypto::pkey_generate(crypto::SigningAlg::rs256);
  return alg == crypto::SigningAlg::es256 ? es256 : rs256;
}

std::string jwt_signing_input() {
  const auto token = signed_jwt(jwt_claims());
  return token.substr(0, token.rfind('.'));
}

void pkey_sign(benchmark::State& state, crypto::SigningAlg alg) {
  const auto key = crypto::PrivatePkey::from_der(alg, pkey_pair(alg).private_der);
  const auto input = jwt_signing_input();
  for (auto _ : state) DoNotOptimize(key->sign(input).size());
}

void pkey_verify(benchmark::State& state, crypto::SigningAlg alg) {
  const auto signer = crypto::PrivatePkey::from_der(alg, pkey_pair(alg).private_der);
  const auto key = crypto::PublicPkey::from_der(alg, pkey_pair(alg).public_der);
  const auto input = jwt_signing_input();
  const auto signature = signer->sign(input);
  for (auto _ : state) DoNotOptimize(key->verify(input, signature));
}

void es256_sign(benchmark::State& state) {
  pkey_sign(state, crypto::SigningAlg::es256);
}
BENCHMARK(es256_sign);
void rs256_sign(benchmark::State& state) {
  pkey_sign(state, crypto::SigningAlg::rs256);
}
BENCHMARK(rs256_sign);
void es256_verify(benchmark::State& state) {
  pkey_verify(state, crypto::SigningAlg::es256);
}
BENCHMARK(es256_verify);
void rs256_verify(benchmark::State& state) {
  pkey_verify(state, crypto::SigningAlg::rs256);
}
BENCHMARK(rs256_verify);

// Opening the active key's sealed private half (XChaCha20-Poly1305) into
// guarded memory, and freeing it: once per load of a JWT tenant's view.
void open_signing_key(benchmark::State& state) {
  const auto& f = fixture();
  const auto& key = f.tenant.keys.front();
  for (auto _ : state) {
    DoNotOptimize(
        crypto::open_signing_key(f.seal_key, f.tenant.tenant.id, key.kid, key.sealed_private_key)
            ->data());
  }
}
BENCHMARK(open_signing_key);

void token_response_body(benchmark::State& state) {
  for (auto _ : state) DoNotOptimize(token_body("tsat_x", 3600, "read write").size());
}
BENCHMARK(token_response_body);

// --- Log lines and records --------------------------------------------------------

// Formatting and the write of one request log line. The lines go to
// /dev/null while the case runs; stderr is back for the report after it.
void log_line(benchmark::State& state, config::LogFormat format) {
  log::setup(format, config::LogLevel::info);
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  const int null = open("/dev/null", O_WRONLY);
  if (saved < 0 || null < 0 || dup2(null, STDERR_FILENO) < 0) {
    state.SkipWithError("cannot send stderr to /dev/null");
    return;
  }
  close(null);
  for (auto _ : state) {
    log::info("request", {{"method", "POST"},
                          {"path", "/t/acme/oauth/token"},
                          {"status", 200},
                          {"latency_ms", 1.234},
                          {"request_id", "HWwC-Ez--ygKKpW-"},
                          {"tenant", "acme"},
                          {"client_id", "NZKIPC45V-MbPdPSciXAkg"},
                          {"listener", "public"}});
  }
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
}

void log_line_text(benchmark::State& state) {
  log_line(state, config::LogFormat::text);
}
BENCHMARK(log_line_text);

void log_line_json(benchmark::State& state) {
  log_line(state, config::LogFormat::json);
}
BENCHMARK(log_line_json);

// The batcher's statement parameters for a batch of 64 records; the
// per_record counter is the time of one record.
void batch_parameters_64(benchmark::State& state) {
  constexpr int kBatch = 64;
  std::vector<store::TokenRecord> batch;
  for (int i = 0; i < kBatch; ++i) {
    batch.push_back(
        record_of(plan(), fixture().now, domain::TokenFormat::opaque, std::string(32, 'h')));
  }
  std::vector<const store::TokenRecord*> pointers;
  for (const auto& r : batch) pointers.push_back(&r);
  for (auto _ : state) DoNotOptimize(store::postgres::token_arrays(pointers).ids.size());
  state.counters["per_record"] = benchmark::Counter(
      kBatch, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(batch_parameters_64);

// --- Whole requests ---------------------------------------------------------------

// parse → authenticate → decide → mint opaque → answer → record
void whole_request_opaque(benchmark::State& state) {
  const auto& f = fixture();
  grants::ClientAuthenticator authenticator(crypto::SubKeyRing(f.secret_key));
  for (auto _ : state) {
    const auto r = parse(f.request);
    const auto auth = authenticator.check_fast(&f.client, f.secret, f.now);
    const auto p = grants::decide_client_credentials(r, f.tenant, f.client);
    auto opaque = tokens::mint_opaque_token(f.token_key, crypto::uuid7(f.now));
    const auto body = token_body(opaque.value, p.ttl_seconds, domain::join_scopes(p.scopes));
    const auto record = record_of(p, f.now, domain::TokenFormat::opaque, std::move(opaque.hash));
    DoNotOptimize(body.size() + record.scope.size() + static_cast<std::size_t>(auth.outcome));
  }
}
BENCHMARK(whole_request_opaque);

// parse → authenticate → decide → mint JWT → answer → record
void whole_request_jwt(benchmark::State& state) {
  const auto& f = fixture();
  grants::ClientAuthenticator authenticator(crypto::SubKeyRing(f.secret_key));
  auto claims = jwt_claims();
  for (auto _ : state) {
    const auto r = parse(f.request);
    const auto auth = authenticator.check_fast(&f.client, f.secret, f.now);
    const auto p = grants::decide_client_credentials(r, f.tenant, f.client);
    const auto record = record_of(p, f.now, domain::TokenFormat::jwt, {});
    claims.jti = crypto::uuid_text(record.id);
    const auto body = token_body(signed_jwt(claims), p.ttl_seconds, record.scope);
    DoNotOptimize(body.size() + static_cast<std::size_t>(auth.outcome));
  }
}
BENCHMARK(whole_request_jwt);

// --- Metrics ----------------------------------------------------------------------

// What /metrics adds to one issued opaque token: the probes it fires (tenant
// and client cache hits, the outcome, the token, the latency histogram).
// Threads(2): two workers on the same series, as under load (a histogram
// series of prometheus-cpp 1.0 takes a mutex of its own per observation).
void metrics_of_a_token_request(benchmark::State& state) {
  for (auto _ : state) {
    metrics::cache_looked_up(metrics::Cache::tenants, true);
    metrics::cache_looked_up(metrics::Cache::clients, true);
    metrics::token_answered(std::nullopt);
    metrics::token_issued(domain::TokenFormat::opaque);
    metrics::request_answered(http::ListenerKind::public_api, metrics::Route::token, 200, 0.001);
  }
}
BENCHMARK(metrics_of_a_token_request)->Threads(1)->Threads(2);

}  // namespace
}  // namespace tessera::bench

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  // Defaults for a noisy shared machine, before the command line's flags so
  // that those win.
  static char repetitions[] = "--benchmark_repetitions=5";
  static char aggregates[] = "--benchmark_display_aggregates_only=true";
  static char min_time[] = "--benchmark_min_time=0.3";
  std::vector<char*> args{argv[0], repetitions, aggregates, min_time};
  args.insert(args.end(), argv + 1, argv + argc);
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
