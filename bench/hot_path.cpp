// tessera_hot_path — what one token request costs in CPU, step by step,
// without HTTP and without the database: the parts a token request runs on
// a reactor thread (parse, authenticate, decide, mint, answer, log) and the
// batcher's per-record work. Built with the server (bench/CMakeLists.txt):
//
//   cmake --build build-release --target tessera_hot_path
//   build-release/bin/tessera_hot_path
//
// Each step runs for about 0.3 s after a warm-up; the figure is the median
// of 5 such repetitions (the machines are noisy), in ns per operation on one
// core.
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "cache/directory.hpp"
#include "cache/freshness.hpp"
#include "config/config.hpp"
#include "crypto/base64url.hpp"
#include "crypto/keyed_hash.hpp"
#include "crypto/master_key.hpp"
#include "crypto/signing_keys.hpp"
#include "crypto/uuid7.hpp"
#include "domain/scope.hpp"
#include "grants/client_authentication.hpp"
#include "grants/client_credentials.hpp"
#include "endpoints/token_request_reader.hpp"
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

using Clock = std::chrono::steady_clock;

// Keeps the optimiser from dropping work whose result is unused.
volatile std::size_t sink = 0;

// ns per call of `step`: median of 5 repetitions of ~0.3 s each.
double time_step(const std::function<void()>& step) {
  for (int i = 0; i < 1000; ++i) step();
  std::vector<double> samples;
  for (int repetition = 0; repetition < 5; ++repetition) {
    long calls = 0;
    const auto started = Clock::now();
    auto now = started;
    while (now - started < std::chrono::milliseconds(300)) {
      for (int i = 0; i < 100; ++i) step();
      calls += 100;
      now = Clock::now();
    }
    samples.push_back(std::chrono::duration<double, std::nano>(now - started).count() /
                      static_cast<double>(calls));
  }
  std::sort(samples.begin(), samples.end());
  return samples[2];
}

void row(const char* name, double ns) {
  std::printf("| %s | %.0f | %.0f |\n", name, ns, 1e9 / ns);
}

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

// Serves the fixture's tenant and client, as PostgreSQL would on a miss.
class FixtureStore : public store::ClientCredentialsStore {
 public:
  explicit FixtureStore(const Fixture& f) : f_(f) {}
  std::optional<domain::TenantView> load_tenant(const std::string&) override { return f_.tenant; }
  std::optional<std::string> slug_for_domain(const std::string&) override { return std::nullopt; }
  std::optional<domain::ClientView> load_client(domain::TenantId, const std::string&) override {
    return f_.client;
  }

 private:
  const Fixture& f_;
};

grants::TokenRequest parse(const http::Request& request) {
  const auto params =
      http::parse_oauth_params(request, endpoints::token_request_fields(), {"resource"});
  return endpoints::read_token_request(params, http::parse_authorization(request.header("authorization")));
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

store::TokenRecord record_of(const Fixture& f, const grants::TokenPlan& plan,
                             std::chrono::system_clock::time_point now, std::string hash) {
  store::TokenRecord record;
  record.tenant_id = f.tenant.tenant.id;
  record.id = crypto::uuid7(now);
  record.client_id = f.client_id;
  record.secret_id = domain::SecretId{1};
  record.api_id = plan.api->id;
  record.scope = domain::join_scopes(plan.scopes);
  record.format = domain::TokenFormat::opaque;
  record.token_hash = std::move(hash);
  record.issued_at = now;
  record.expires_at = now + std::chrono::seconds(plan.ttl_seconds);
  return record;
}

void log_line(const char* request_id) {
  log::info("request", {{"method", "POST"},
                        {"path", "/t/acme/oauth/token"},
                        {"status", 200},
                        {"latency_ms", 1.234},
                        {"request_id", request_id},
                        {"tenant", "acme"},
                        {"client_id", "NZKIPC45V-MbPdPSciXAkg"},
                        {"listener", "public"}});
}

int run() {
  if (sodium_init() < 0) return 1;
  // Log lines go to /dev/null: what is measured is formatting and the write.
  if (std::freopen("/dev/null", "w", stderr) == nullptr) return 1;

  Fixture f;
  grants::ClientAuthenticator authenticator(f.secret_key);
  const auto now = std::chrono::system_clock::now();
  const auto request = parse(f.request);
  const auto plan = grants::decide_client_credentials(request, f.tenant, f.client);

  std::printf("| step | ns/op | ops/s on one core |\n|---|---|---|\n");
  const std::string wire = "POST /t/acme/oauth/token HTTP/1.1\r\nHost: acme.test:8080\r\n"
                           "User-Agent: bench/1.0\r\nAccept: */*\r\nContent-Type: "
                           "application/x-www-form-urlencoded\r\nAuthorization: " +
                           f.request.header("authorization").value() + "\r\nContent-Length: " +
                           std::to_string(f.request.body.size()) + "\r\n\r\n" + f.request.body;
  row("frame the HTTP request (strict head parse, Content-Length body)", time_step([&] {
        http::RequestFramer framer({});
        framer.append(wire);
        sink = framer.next().request.body.size();
      }));
  row("parse form body and Basic header", time_step([&] { sink = parse(f.request).client_id.size(); }));
  // SPEC §6: no request costs more than linear time before authentication.
  // 64 KiB of ~4,000 distinct resource values, de-duplicated.
  http::Request resources = f.request;
  resources.body = "grant_type=client_credentials";
  for (int i = 0; resources.body.size() < 64 * 1024 - 24; ++i) {
    resources.body += "&resource=https://r" + std::to_string(i) + ".t";
  }
  row("parse a 64 KiB body of ~4,000 distinct resource values",
      time_step([&] { sink = parse(resources).distinct_resources.size(); }));
  // The largest heads a peer may send, and the worst way to send them.
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
  if (frame_bytewise() != http::RequestFramer::Outcome::request) return 1;
  row("frame a ~31 KiB head of 100 fields sent one byte at a time",
      time_step([&] { sink = static_cast<std::size_t>(frame_bytewise()); }));
  const std::string long_line = "POST /t/acme/oauth/token?" + std::string(8'000, 'q') +
                                " HTTP/1.1\r\nHost: acme.test\r\nContent-Length: 0\r\n\r\n";
  row("frame a request with an 8 KiB request line", time_step([&] {
        http::RequestFramer framer({});
        framer.append(long_line);
        sink = static_cast<std::size_t>(framer.next().outcome);
      }));
  std::string json_members = "{";
  for (int i = 0; json_members.size() < 64 * 1024 - 32; ++i) {
    json_members += "\"field" + std::to_string(i) + "\":\"value\",";
  }
  json_members += "\"last\":1}";
  row("parse a 64 KiB JSON body of ~3,500 members (duplicate check)", time_step([&] {
        std::string error;
        sink = http::parse_json_strict(json_members, error)->size();
      }));
  // The two cache lookups of a token request (tenant, then client), without
  // and with the freshness rules (feed heartbeat, TESSERA_CACHE_MAX_AGE).
  // Both read the clock once per lookup (the row after them): the backstop
  // costs the difference plus two clock reads per request.
  FixtureStore store(f);
  cache::Directory plain(store);
  cache::Freshness freshness(std::chrono::seconds(60), std::chrono::hours(1));
  freshness.confirm(freshness.now());
  cache::Directory checked(store, {}, freshness);
  for (auto* directory : {&plain, &checked}) {
    directory->tenant("acme", true);
    directory->client(f.tenant.tenant.id, f.client_id, true);
  }
  row("directory lookups (tenant + client), no freshness rules", time_step([&] {
        sink = plain.tenant("acme", false).found() +
               plain.client(f.tenant.tenant.id, f.client_id, false).found();
      }));
  row("directory lookups (tenant + client), feed trust and max age checked", time_step([&] {
        sink = checked.tenant("acme", false).found() +
               checked.client(f.tenant.tenant.id, f.client_id, false).found();
      }));
  row("steady_clock::now() (each lookup reads it once)", time_step([&] {
        sink = static_cast<std::size_t>(Clock::now().time_since_epoch().count());
      }));
  row("authenticate (keyed BLAKE2b, constant-time compare)", time_step([&] {
        sink = static_cast<std::size_t>(authenticator.check_fast(&f.client, f.secret, now).outcome);
      }));
  row("decide audience and scopes", time_step([&] {
        sink = grants::decide_client_credentials(request, f.tenant, f.client).scopes.size();
      }));
  row("randombytes_buf(32) (a getrandom call)", time_step([&] {
        unsigned char bytes[32];
        randombytes_buf(bytes, sizeof bytes);
        sink = bytes[0];
      }));
  row("uuid7 + mint opaque token (random, keyed hash, base64url)", time_step([&] {
        sink = tokens::mint_opaque_token(f.token_key, crypto::uuid7(now)).value.size();
      }));
  tokens::JwtClaims claims;
  claims.iss = "http://localhost:8080/t/acme";
  claims.client_id = f.client_id;
  claims.aud = plan.api->identifier;
  claims.iat = 1'800'000'000;
  claims.exp = claims.iat + 3600;
  claims.jti = crypto::uuid_text(crypto::uuid7(now));
  claims.scope = "read write";
  row("mint EdDSA JWT (open sealed key, Ed25519 sign)",
      time_step([&] { sink = tokens::mint_jwt(f.seal_key, f.tenant, claims).size(); }));
  row("token response body", time_step([&] { sink = token_body("tsat_x", 3600, "read write").size(); }));
  log::setup(config::LogFormat::text, config::LogLevel::info);
  row("request log line, text", time_step([] { log_line("HWwC-Ez--ygKKpW-"); }));
  log::setup(config::LogFormat::json, config::LogLevel::info);
  row("request log line, JSON", time_step([] { log_line("HWwC-Ez--ygKKpW-"); }));

  std::vector<store::TokenRecord> batch;
  for (int i = 0; i < 64; ++i) batch.push_back(record_of(f, plan, now, std::string(32, 'h')));
  std::vector<const store::TokenRecord*> pointers;
  for (const auto& r : batch) pointers.push_back(&r);
  row("batch parameters (token_arrays), per record of 64", time_step([&] {
        sink = store::postgres::token_arrays(pointers).ids.size();
      }) / 64);

  row("whole request: parse → authenticate → decide → mint opaque → answer → record",
      time_step([&] {
        const auto r = parse(f.request);
        const auto auth = authenticator.check_fast(&f.client, f.secret, now);
        const auto p = grants::decide_client_credentials(r, f.tenant, f.client);
        auto opaque = tokens::mint_opaque_token(f.token_key, crypto::uuid7(now));
        const auto body = token_body(opaque.value, p.ttl_seconds, domain::join_scopes(p.scopes));
        const auto record = record_of(f, p, now, std::move(opaque.hash));
        sink = body.size() + record.scope.size() + static_cast<std::size_t>(auth.outcome);
      }));
  return 0;
}

}  // namespace
}  // namespace tessera::bench

int main() { return tessera::bench::run(); }
