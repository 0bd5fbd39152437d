// The public endpoints without a socket: PublicServices over stores held in
// memory (the PostgreSQL repositories behind the same interfaces are tested
// in tests/pg, the whole server in tests/e2e), a clock the test moves, and a
// driver that carries out an endpoint's outcomes as endpoints/step_runner
// does, stage after stage, on the test's thread.
#pragma once

#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cache/change_barrier.hpp"
#include "cache/directory.hpp"
#include "cache/token_status_cache.hpp"
#include "crypto/base64url.hpp"
#include "crypto/key_ring.hpp"
#include "crypto/keyed_hash.hpp"
#include "crypto/master_key.hpp"
#include "crypto/password_hash.hpp"
#include "crypto/signing_keys.hpp"
#include "endpoints/public_dispatch.hpp"
#include "endpoints/step_runner.hpp"
#include "memory_stores.hpp"
#include "store/admin_key_store.hpp"

namespace tessera::endpoints::test {

using std::chrono::seconds;

// A client as a test uses it: its id and the secret it presents.
struct TestClient {
  std::string id;
  std::string secret;
};

// What a request came to, and where it went on the way.
struct Trace {
  http::Response response;
  std::vector<Stage> stages;                 // the stages it continued at, in order
  std::optional<store::TokenRecord> record;  // an issued token's record

  std::string header(const std::string& name) const {
    for (const auto& [n, v] : response.headers) {
      if (n == name) return v;
    }
    return "";
  }
  nlohmann::json json() const { return nlohmann::json::parse(response.body); }
  std::string error() const { return json().value("error", ""); }
};

// One tenant "acme" (id 7) with a default API (id 11, scopes read and
// write, opaque tokens), APIs with JWTs of EdDSA (id 12), ES256 (13) and
// RS256 (14), an active key of each, and the clients below. Services key
// and seal with the sub-keys of `master_keys_`: by default one master key,
// number 1; a test of master-key rotation passes a ring with previous keys
// (what the fixture makes, it makes under the current one).
class PublicEndpointsTest : public ::testing::Test {
 protected:
  // A whole minute starts here: the failure limiter counts in clock minutes.
  static constexpr std::int64_t kStart = 1'699'999'980;
  static constexpr domain::TenantId kTenant{7};

  PublicEndpointsTest() : PublicEndpointsTest(only_master_key()) {}

  explicit PublicEndpointsTest(crypto::MasterKeyRing master_keys)
      : master_keys_(std::move(master_keys)) {
    if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
    store_.token_cache = &token_cache_;
    domain::TenantView acme;
    acme.tenant.id = kTenant;
    acme.tenant.slug = "acme";
    acme.apis = {api(11, "https://api.acme.test", true, domain::TokenFormat::opaque),
                 api(12, "https://jwt.acme.test", false, domain::TokenFormat::jwt),
                 api(13, "https://es256.acme.test", false, domain::TokenFormat::jwt,
                     domain::SigningAlg::es256),
                 api(14, "https://rs256.acme.test", false, domain::TokenFormat::jwt,
                     domain::SigningAlg::rs256)};
    // Sealed, as stored: the directory opens them when it loads the tenant.
    for (const auto alg :
         {domain::SigningAlg::eddsa, domain::SigningAlg::es256, domain::SigningAlg::rs256}) {
      const auto key =
          crypto::make_signing_key(master_keys_.derive(crypto::KeyPurpose::signing_key_seal),
                                   kTenant, alg, domain::SigningKeyState::active);
      domain::PublishedKey published;
      published.kid = key.kid;
      published.alg = key.alg;
      published.state = key.state;
      published.public_key = key.public_key;
      published.sealed_private_key = key.sealed_private_key;
      published.master_key = key.master_key;
      acme.keys.push_back(std::move(published));
    }
    store_.tenants["acme"] = acme;

    reader_ = add_client("cl_reader_0000000001",
                         {{11, {"read"}}, {12, {"read"}}, {13, {"read"}}, {14, {"read"}}});
    introspector_ = add_client("cl_introspector_00001", {{11, {"read"}}});
    store_.clients.at({kTenant.value, introspector_.id}).client.can_introspect = true;
    other_ = add_client("cl_other_00000000001", {{11, {"read", "write"}}});
  }

  static domain::Api api(std::int64_t id, const std::string& identifier, bool is_default,
                         domain::TokenFormat format,
                         std::optional<domain::SigningAlg> signing_alg = std::nullopt) {
    domain::Api out;
    out.signing_alg = signing_alg;
    out.tenant_id = kTenant;
    out.id = domain::ApiId{id};
    out.identifier = identifier;
    out.scopes = {{"read", ""}, {"write", ""}};
    out.token_format = format;
    out.is_default = is_default;
    return out;
  }

  // A client with a generated secret, or an imported (Argon2id) one.
  TestClient add_client(const std::string& id,
                        std::map<std::int64_t, std::vector<std::string>> grants,
                        bool imported = false) {
    TestClient test{id, "secret-of-" + id + "-with-enough-characters"};
    domain::ClientView view;
    view.client.tenant_id = kTenant;
    view.client.client_id = domain::ClientId{id};
    domain::SecretView secret;
    secret.id = domain::SecretId{static_cast<std::int64_t>(store_.clients.size()) + 100};
    secret.imported = imported;
    if (imported) {
      secret.argon2_hash = crypto::password_hash(test.secret);
    } else {
      secret.keyed_hash = crypto::keyed_hash(secret_key_, test.secret);
      secret.master_key = master_keys_.current().id;
    }
    view.secrets = {secret};
    view.grants = std::move(grants);
    store_.clients[{kTenant.value, id}] = view;
    return test;
  }

  static std::string basic(const TestClient& client, const std::string& secret = "") {
    const std::string pair = client.id + ":" + (secret.empty() ? client.secret : secret);
    std::string encoded(sodium_base64_encoded_len(pair.size(), sodium_base64_VARIANT_ORIGINAL),
                        '\0');
    sodium_bin2base64(encoded.data(), encoded.size(),
                      reinterpret_cast<const unsigned char*>(pair.data()), pair.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    encoded.resize(encoded.find('\0'));
    return "Basic " + encoded;
  }

  static http::Request post(const std::string& path, std::string body,
                            std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request request;
    request.method = "POST";
    request.path = path;
    request.body = std::move(body);
    request.remote_address = "192.0.2.1";
    request.headers = std::move(headers);
    request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    return request;
  }

  http::Request token_request(const TestClient& client, const std::string& extra = "") {
    return post("/t/acme/oauth/token", "grant_type=client_credentials" + extra,
                {{"authorization", basic(client)}});
  }

  // Sends a request the way the public listener does: routing, then each
  // step where it asks to go on; an issued token is recorded, then
  // answered.
  Trace send(http::Request request) {
    Exchange exchange;
    exchange.now = clock_.now();
    exchange.request = std::move(request);
    Trace trace;
    Step step = route_public_request;
    for (int steps = 0; steps < 5; ++steps) {
      auto outcome = attempt(services_, exchange, step);
      if (auto* answer = outcome.answered()) {
        trace.response = std::move(answer->response);
        return trace;
      }
      if (auto* next = outcome.continues()) {
        EXPECT_NE(next->stage, exchange.stage) << "a step asked again for its own stage";
        exchange.stage = next->stage;
        trace.stages.push_back(next->stage);
        step = std::move(next->rest);
        continue;
      }
      auto* issue = outcome.issues();
      trace.record = issue->record;
      bool committed = false;
      services_.recorder.record(std::move(issue->record), [&](store::RecordResult result) {
        committed = result == store::RecordResult::committed;
      });
      EXPECT_TRUE(committed);
      if (issue->on_committed) issue->on_committed();
      trace.response = std::move(issue->response);
      return trace;
    }
    ADD_FAILURE() << "a request went on for more than five steps";
    return trace;
  }

  std::string token_of(const TestClient& client, const std::string& extra = "") {
    const auto trace = send(token_request(client, extra));
    EXPECT_EQ(trace.response.status, 200) << trace.response.body;
    return trace.json().value("access_token", "");
  }

  Trace introspect(const std::string& token, const TestClient& as) {
    return send(post("/t/acme/oauth/introspect", "token=" + token, {{"authorization", basic(as)}}));
  }

  Trace revoke(const std::string& token, const TestClient& as) {
    return send(post("/t/acme/oauth/revoke", "token=" + token, {{"authorization", basic(as)}}));
  }

  static crypto::MasterKey master_key_of(char fill) {
    return crypto::MasterKey::parse(crypto::base64url_encode(std::string(32, fill))).value();
  }

  // The default: master key number 1 only.
  static crypto::MasterKeyRing only_master_key() {
    return crypto::MasterKeyRing({domain::kFirstMasterKey, master_key_of('m')}, {});
  }

  // The current master key's sub-key for `purpose`.
  crypto::SubKey derive(crypto::KeyPurpose purpose) const {
    return master_keys_.current().key.derive(purpose);
  }

  const crypto::MasterKeyRing master_keys_;
  ManualClock clock_{domain::Timestamp{seconds(kStart)}};
  crypto::SubKey seal_key_ = derive(crypto::KeyPurpose::signing_key_seal);
  crypto::SubKey secret_key_ = derive(crypto::KeyPurpose::client_secret_hash);
  MemoryStore store_;
  NoAdminKeys admin_keys_;
  cache::Directory directory_{store_, master_keys_.derive(crypto::KeyPurpose::signing_key_seal)};
  cache::TokenStatusCache token_cache_{store_};
  grants::ClientAuthenticator authenticator_{
      master_keys_.derive(crypto::KeyPurpose::client_secret_hash)};
  domain::FailureLimiter failures_;
  domain::FailureLimiter admin_failures_;
  // Never run: the driver above runs every step on the test's thread.
  http::WorkerPool workers_{"test-workers", 1, {1, std::chrono::milliseconds(1000)}};
  http::WorkerPool argon2_{"test-argon2", 1, {1, std::chrono::milliseconds(1000)}};
  grants::JtiReplays assertions_;
  MemoryJtis jtis_;
  // No client of these tests publishes keys at a jwks_uri.
  grants::RemoteJwks remote_jwks_{[](const std::string&) { return std::nullopt; }};
  grants::JtiReplays dpop_proofs_;
  grants::DpopNonces dpop_nonces_{master_keys_.derive(crypto::KeyPurpose::dpop_nonce)};
  grants::DpopKeys dpop_keys_;
  PublicServices services_{directory_,
                           authenticator_,
                           assertions_,
                           jtis_,
                           remote_jwks_,
                           dpop_proofs_,
                           dpop_nonces_,
                           dpop_keys_,
                           failures_,
                           admin_failures_,
                           store_,
                           store_,
                           master_keys_.derive(crypto::KeyPurpose::token_hash),
                           "https://auth.example.test",
                           token_cache_,
                           store_,
                           store_,
                           admin_keys_,
                           master_keys_.derive(crypto::KeyPurpose::admin_key_hash),
                           workers_,
                           argon2_,
                           clock_};
  TestClient reader_;
  TestClient introspector_;
  TestClient other_;
};

}  // namespace tessera::endpoints::test
