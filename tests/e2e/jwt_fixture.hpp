#pragma once

// What the JWT end-to-end suites share: a server with a fixed issuer base,
// tenants made through the admin API, and a JWT taken apart and checked the
// way a resource server would, with the keys of the tenant's JWKS.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "e2e/admin_api.hpp"
#include "e2e/token_fixture.hpp"
#include "support/jwk_verifier.hpp"

namespace tessera::test {

using nlohmann::json;

// A fixed issuer base, so the issuer is known in advance and differs from
// the address the test server listens on.
inline const std::string kIssuerBase = "https://issuer.example.test";
inline const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

// A JWT taken apart with the two pure functions a verifier needs.
struct DecodedJwt {
  crypto::JwsParts parts;
  json header;
  json payload;
};

inline std::optional<DecodedJwt> decode_jwt(const std::string& token) {
  auto parts = crypto::jws_split(token);
  if (!parts) return std::nullopt;
  auto header = json::parse(parts->header_json, nullptr, false);
  auto payload = json::parse(parts->payload_json, nullptr, false);
  if (!header.is_object() || !payload.is_object()) return std::nullopt;
  return DecodedJwt{std::move(*parts), std::move(header), std::move(payload)};
}

// The raw Ed25519 public key of each JWKS entry, by kid.
inline std::map<std::string, std::string> public_keys_of(const json& jwks) {
  std::map<std::string, std::string> keys;
  for (const auto& key : jwks.at("keys")) {
    const auto x = crypto::base64url_decode(key.at("x").get<std::string>());
    if (!x) throw std::runtime_error("a JWKS x is not base64url: " + key.dump());
    keys[key.at("kid").get<std::string>()] = *x;
  }
  return keys;
}

// Whether `token` verifies with the JWKS key its header names, rebuilt from
// its JWK members (support/jwk_verifier.hpp), and names that key's alg.
inline ::testing::AssertionResult VerifiesWithJwks(const std::string& token, const json& jwks) {
  const auto jwt = decode_jwt(token);
  if (!jwt) return ::testing::AssertionFailure() << "not a compact JWS: " << token;
  if (!jwt->header.contains("kid") || !jwt->header["kid"].is_string()) {
    return ::testing::AssertionFailure() << "no kid: " << jwt->header.dump();
  }
  for (const auto& key : jwks.at("keys")) {
    if (key.value("kid", "") != jwt->header["kid"]) continue;
    if (key.value("alg", "") != jwt->header.value("alg", "")) {
      return ::testing::AssertionFailure()
             << "the header's alg is not its key's: " << jwt->header.dump() << " " << key.dump();
    }
    if (!jwk_verifies(key, jwt->parts.signing_input, jwt->parts.signature)) {
      return ::testing::AssertionFailure() << "the signature does not verify with " << key.dump();
    }
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "kid " << jwt->header["kid"] << " is not in " << jwks.dump();
}

// A tenant of one test: a default API (read, write) and a client granted both.
struct JwtWorld {
  std::string slug;
  std::string api_id;
  std::string api_identifier;
  std::string client_id;
  std::string client_secret;
};

class JwtFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AdminServer({{"TESSERA_ISSUER_BASE", kIssuerBase}});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr) << "the shared server did not start"; }

  static AdminApi admin() { return AdminApi(*server_); }
  static std::string url(const std::string& path) { return server_->server.public_url() + path; }

  // Set-up steps throw: a failed one must stop the test, not go on half-made.
  static json expect(const HttpResult& response, long status) {
    if (response.status != status) {
      throw std::runtime_error("set-up: expected " + std::to_string(status) + ", got " +
                               describe(response));
    }
    return response.body.empty() ? json() : response.json();
  }

  // `tenant` holds extra fields of the tenant (token_format, default_token_ttl).
  static JwtWorld new_world(const json& tenant, const json& api = json::object()) {
    JwtWorld world;
    world.slug = unique_name("jwt");
    json tenant_body = tenant;
    tenant_body["slug"] = world.slug;
    tenant_body["name"] = "JWT tenant";
    expect(admin().post("/tenants", tenant_body), 201);
    world.api_identifier = "https://" + world.slug + ".api.test";
    world.api_id = add_api(world.slug, world.api_identifier, true, api);
    const auto client =
        expect(admin().post("/tenants/" + world.slug + "/clients", {{"name", "JWT client"}}), 201);
    world.client_id = client["client_id"].get<std::string>();
    world.client_secret = client["client_secret"].get<std::string>();
    grant(world, world.api_id);
    return world;
  }

  static std::string add_api(const std::string& slug, const std::string& identifier,
                             bool is_default, const json& extra = json::object()) {
    json body = extra;
    body["identifier"] = identifier;
    body["name"] = "API " + identifier;
    if (!body.contains("scopes")) {
      body["scopes"] = json::array({{{"value", "read"}}, {{"value", "write"}}});
    }
    body["is_default"] = is_default;
    return expect(admin().post("/tenants/" + slug + "/apis", body), 201)["id"].dump();
  }

  static void grant(const JwtWorld& world, const std::string& api_id) {
    expect(
        admin().put("/tenants/" + world.slug + "/clients/" + world.client_id + "/grants/" + api_id,
                    {{"scopes", {"read", "write"}}}),
        200);
  }

  // client_secret_post, as in RFC 6749 §2.3.1; `extra` is appended to the form.
  static HttpResult request_token(const JwtWorld& world, const std::string& extra = "") {
    return post_token(url("/t/" + world.slug + "/oauth/token"),
                      kClientCredentials + "&client_id=" + world.client_id +
                          "&client_secret=" + world.client_secret + extra);
  }

  static std::string token_of(const JwtWorld& world, const std::string& extra = "") {
    return expect(request_token(world, extra), 200)["access_token"].get<std::string>();
  }

  static json jwks_of(const std::string& slug) {
    const auto response = http_request("GET", url("/t/" + slug + "/.well-known/jwks.json"));
    return expect(response, 200);
  }

  static json discovery_of(const std::string& slug) {
    return expect(
        http_request("GET", url("/t/" + slug + "/.well-known/oauth-authorization-server")), 200);
  }

  // kid by state, from the admin API's view of the keys.
  static std::map<std::string, std::vector<std::string>> kids_by_state(const std::string& slug) {
    std::map<std::string, std::vector<std::string>> kids;
    const auto list = expect(admin().get("/tenants/" + slug + "/signing-keys"), 200);
    for (const auto& key : list["items"]) {
      kids[key["state"].get<std::string>()].push_back(key["kid"].get<std::string>());
    }
    return kids;
  }

  static std::string query(const std::string& sql) { return server_->db.query_value(sql); }

  inline static AdminServer* server_ = nullptr;
};

inline std::set<std::string> kids_in(const json& jwks) {
  std::set<std::string> kids;
  for (const auto& key : jwks.at("keys")) kids.insert(key.at("kid").get<std::string>());
  return kids;
}

}  // namespace tessera::test
