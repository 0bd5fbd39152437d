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
// says what each case measures.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cache/directory.hpp"
#include "cache/freshness.hpp"
#include "config/config.hpp"
#include "crypto/base64url.hpp"
#include "crypto/keyed_hash.hpp"
#include "crypto/master_key.hpp"
#include "crypto/sealed.hpp"
#include "crypto/signing_keys.hpp"
#include "crypto/uuid7.hpp"
#include "domain/scope.hpp"
#include "endpoints/token_request_reader.hpp"
#include "grants/client_authentication.hpp"
#include "grants/client_credentials.hpp"
#include "grants/token_request.hpp"
#include "http/basic_auth.hpp"
#include "http/json_body.hpp"
#include "http/oauth_params.hpp"
#include "http/request_framer.hpp"
#include "log/log.hpp"
#include "store/postgres/token_batcher.hpp"
#include "store/postgres/token_rows.hpp"
#include "tokens/jwt_token.hpp"
#include "tokens/opaque_token.hpp"

namespace tessera::bench {
namespace {

using benchmark::DoNotOptimize;

// Standard base64 with padding, as HTTP Basic uses it.
std::string base64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

crypto::MasterKey master_key() {
  return crypto::MasterKey::parse(crypto::base64url_encode(std::string(32, 'm'))).value();
}

// What a token request reads from the caches: a tenant with one default API
// and an active signing key, and a client with one generated secret and a
// grant of two scopes.
struct Fixture {
  crypto::SubKey secret_key = master_key().derive(crypto::KeyPurpose::client_secret_hash);
  crypto::SubKey token_key = master_key().derive(crypto::KeyPurpose::token_hash);
  crypto::SubKey seal_key = master_key().derive(crypto::KeyPurpose::signing_key_seal);
  std::string client_id = crypto::base64url_encode(std::string(16, 'c')).substr(0, 22);
  std::string secret = crypto::base64url_encode(std::string(32, 's'));
  domain::TenantView tenant;
  domain::ClientView client;
  http::Request request;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();

  Fixture() {
    tenant.tenant.id = domain::TenantId{1};
    tenant.tenant.slug = "acme";
    domain::Api api;
    api.tenant_id = tenant.tenant.id;
    api.id = domain::ApiId{1};
    api.identifier = "https://api.acme.test";
    api.name = "Acme";
    api.is_default = true;
    api.scopes = {{"read", ""}, {"write", ""}};
    tenant.apis.push_back(api);
    const auto key =
        crypto::make_signing_key(seal_key, tenant.tenant.id, domain::SigningKeyState::active);
    domain::PublishedKey published;
    published.kid = key.kid;
    published.state = key.state;
    published.public_key = key.public_key;
    published.sealed_private_key = key.sealed_private_key;
    // Open, as the directory opens it when it loads a JWT tenant's view.
    published.private_key =
        crypto::open_signing_key(seal_key, tenant.tenant.id, key.kid, key.sealed_private_key);
    tenant.keys.push_back(published);

    client.client.tenant_id = tenant.tenant.id;
    client.client.client_id = domain::ClientId{client_id};
    domain::SecretView generated;
    generated.id = domain::SecretId{1};
    generated.keyed_hash = crypto::keyed_hash(secret_key, secret);
    client.secrets.push_back(generated);
    client.grants = {{1, {"read", "write"}}};

    request.method = "POST";
    request.path = "/t/acme/oauth/token";
    request.headers = {{"content-type", "application/x-www-form-urlencoded"},
                       {"authorization", "Basic " + base64(client_id + ":" + secret)}};
    request.body = "grant_type=client_credentials&scope=read%20write";
  }
};

// One fixture for every case, made on first use (after sodium_init).
const Fixture& fixture() {
  static const Fixture f;
  return f;
}

grants::TokenRequest parse(const http::Request& request) {
  const auto params =
      http::parse_oauth_params(request, endpoints::token_request_fields(), {"resource"});
  return endpoints::read_token_request(params,
                                       http::parse_authorization(request.header("authorization")));
}

const grants::TokenPlan& plan() {
  static const grants::TokenPlan p = grants::decide_client_credentials(
      parse(fixture().request), fixture().tenant, fixture().client);
  return p;
}

std::string token_body(const std::string& token, int expires_in, const std::string& scope) {
  std::string body;
  body.reserve(token.size() + scope.size() + 96);
  body += R"({"access_token":")";
  body += token;
  body += R"(","token_type":"Bearer","expires_in":)";
  body += std::to_string(expires_in);
  body += R"(,"scope":")";
  body += scope;
  body += "\"}";
  return body;
}

store::TokenRecord record_of(const grants::TokenPlan& p, std::chrono::system_clock::time_point now,
                             domain::TokenFormat format, std::string hash) {
  const auto& f = fixture();
  store::TokenRecord record;
  record.tenant_id = f.tenant.tenant.id;
  record.id = crypto::uuid7(now);
  record.client_id = f.client_id;
  record.secret_id = domain::SecretId{1};
  record.api_id = p.api->id;
  record.scope = domain::join_scopes(p.scopes);
  record.format = format;
  record.token_hash = std::move(hash);
  record.issued_at = now;
  record.expires_at = now + std::chrono::seconds(p.ttl_seconds);
  return record;
}

// The claims the token endpoint signs for the fixture's request.
tokens::JwtClaims jwt_claims() {
  const auto& f = fixture();
  tokens::JwtClaims claims;
  claims.iss = "http://localhost:8080/t/acme";
  claims.client_id = f.client_id;
  claims.aud = plan().api->identifier;
  claims.iat = 1'800'000'000;
  claims.exp = claims.iat + 3600;
  claims.jti = crypto::uuid_text(crypto::uuid7(f.now));
  claims.scope = "read write";
  return claims;
}

std::string signed_jwt(const tokens::JwtClaims& claims) {
  const auto& f = fixture();
  return tokens::mint_jwt(f.tenant, claims);
}

// --- HTTP framing and parsing -------------------------------------------------

std::string wire_request() {
  const auto& f = fixture();
  return "POST /t/acme/oauth/token HTTP/1.1\r\nHost: acme.test:8080\r\n"
         "User-Agent: bench/1.0\r\nAccept: */*\r\nContent-Type: "
         "application/x-www-form-urlencoded\r\nAuthorization: " +
         f.request.header("authorization").value() +
         "\r\nContent-Length: " + std::to_string(f.request.body.size()) + "\r\n\r\n" +
         f.request.body;
}

void frame_request(benchmark::State& state) {
  const std::string wire = wire_request();
  for (auto _ : state) {
    http::RequestFramer framer({});
    framer.append(wire);
    DoNotOptimize(framer.next().request.body.size());
  }
}
BENCHMARK(frame_request);

void parse_form_and_basic(benchmark::State& state) {
  for (auto _ : state) DoNotOptimize(parse(fixture().request).client_id.size());
}
BENCHMARK(parse_form_and_basic);

// SPEC §6: no request costs more than linear time before authentication.
// 64 KiB of ~4,000 distinct resource values, de-duplicated.
void parse_64k_distinct_resources(benchmark::State& state) {
  http::Request resources = fixture().request;
  resources.body = "grant_type=client_credentials";
  for (int i = 0; resources.body.size() < 64 * 1024 - 24; ++i) {
    resources.body += "&resource=https://r" + std::to_string(i) + ".t";
  }
  for (auto _ : state) DoNotOptimize(parse(resources).distinct_resources.size());
}
BENCHMARK(parse_64k_distinct_resources);

// The largest heads a peer may send, and the worst way to send them.
void frame_31k_head_bytewise(benchmark::State& state) {
  std::string big_head = "POST /t/acme/oauth/token HTTP/1.1\r\nHost: acme.test\r\n";
  for (int i = 0; i < 98; ++i) {
    big_head += "X-Fill-" + std::to_string(i) + ": " + std::string(310, 'v') + "\r\n";
  }
  big_head += "Content-Length: 0\r\n\r\n";
  const auto frame_bytewise = [&] {
    http::RequestFramer framer({});
    http::RequestFramer::Step step;
    for (char c : big_head) {
      framer.append(std::string_view(&c, 1));
      step = framer.next();
    }
    return step.outcome;
  };
  if (frame_bytewise() != http::RequestFramer::Outcome::request) {
    state.SkipWithError("the head was not framed as a request");
    return;
  }
  for (auto _ : state) DoNotOptimize(frame_bytewise());
}
BENCHMARK(frame_31k_head_bytewise);

void frame_8k_request_line(benchmark::State& state) {
  const std::string long_line = "POST /t/acme/oauth/token?" + std::string(8'000, 'q') +
                                " HTTP/1.1\r\nHost: acme.test\r\nContent-Length: 0\r\n\r\n";
  for (auto _ : state) {
    http::RequestFramer framer({});
    framer.append(long_line);
    DoNotOptimize(framer.next().outcome);
  }
}
BENCHMARK(frame_8k_request_line);

// ~3,500 members, each checked for duplicates.
void parse_64k_json_body(benchmark::State& state) {
  std::string json_members = "{";
  for (int i = 0; json_members.size() < 64 * 1024 - 32; ++i) {
    json_members += "\"field" + std::to_string(i) + "\":\"value\",";
  }
  json_members += "\"last\":1}";
  for (auto _ : state) {
    std::string error;
    DoNotOptimize(http::parse_json_strict(json_members, error)->size());
  }
}
BENCHMARK(parse_64k_json_body);

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
  static cache::Directory plain(store, fixture().seal_key);
  lookups(state, plain);
}
BENCHMARK(directory_lookups);

void directory_lookups_fresh(benchmark::State& state) {
  static FixtureStore store;
  static cache::Freshness freshness(std::chrono::seconds(60), std::chrono::hours(1));
  freshness.confirm(freshness.now());
  static cache::Directory checked(store, fixture().seal_key, {}, freshness);
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
  grants::ClientAuthenticator authenticator(f.secret_key);
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
  grants::ClientAuthenticator authenticator(f.secret_key);
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
  grants::ClientAuthenticator authenticator(f.secret_key);
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
