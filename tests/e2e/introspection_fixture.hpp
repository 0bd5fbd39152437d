#pragma once

// The world of the introspection and revocation suites (one server): tenant
// intro-a with an opaque API and a JWT API, clients `holder` (holds the
// tokens), `introspector` (can_introspect) and `plain` (without), and admin
// keys of intro-a; tenant intro-b with the same APIs, its own holder and
// introspector, and an admin key.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "e2e/admin_api.hpp"
#include "e2e/token_fixture.hpp"

namespace tessera::test {

using nlohmann::json;

struct Client {
  std::string slug;
  std::string id;
  std::string secret;
};

// The two token formats, by the API that issues each (SPEC §3.1: the API's
// format wins).
struct Format {
  const char* name;
  const char* audience;
};
inline const Format kOpaque{"opaque", "https://api.intro.test"};
inline const Format kJwt{"jwt", "https://jwt.intro.test"};
inline const std::vector<Format> kFormats{kOpaque, kJwt};

inline std::string bearer(const std::string& key) {
  return "Authorization: Bearer " + key;
}

// Exactly {"active":false} (RFC 7662 §2.2: nothing else about the token).
inline ::testing::AssertionResult IsInactive(const HttpResult& r) {
  auto ok = IsJsonAnswer(r, 200);
  if (!ok) return ok;
  if (r.json() != json{{"active", false}}) {
    return ::testing::AssertionFailure() << "not {\"active\":false}: " << r.body;
  }
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult IsActive(const HttpResult& r) {
  auto ok = IsJsonAnswer(r, 200);
  if (!ok) return ok;
  if (r.json().value("active", false) != true) {
    return ::testing::AssertionFailure() << "not active: " << r.body;
  }
  return ::testing::AssertionSuccess();
}

// The world (one server): tenant intro-a with an opaque API and a JWT API,
// clients `holder` (holds the tokens), `introspector` (can_introspect, set by
// PATCH) and `plain` (without), and admin keys of intro-a; tenant intro-b
// with the same APIs, its own holder and introspector, and an admin key.
class IntrospectionFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AdminServer();
    holder_ = new_tenant_with_client("intro-a", "Holder");
    introspector_ = new_client("intro-a", "Introspector");
    expect(
        admin().patch("/tenants/intro-a/clients/" + introspector_.id, {{"can_introspect", true}}),
        200);
    plain_ = new_client("intro-a", "Plain");
    key_a_ = tenant_key("intro-a");
    holder_b_ = new_tenant_with_client("intro-b", "Holder B");
    introspector_b_ = new_client("intro-b", "Introspector B", true);
    key_b_ = tenant_key("intro-b");
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

  static Client new_tenant_with_client(const std::string& slug, const std::string& name) {
    expect(admin().post("/tenants", {{"slug", slug}, {"name", "Tenant " + slug}}), 201);
    for (const auto& format : kFormats) {
      expect(admin().post("/tenants/" + slug + "/apis",
                          {{"identifier", format.audience},
                           {"name", format.name},
                           {"token_format", format.name},
                           {"scopes", json::array({{{"value", "read"}}, {{"value", "write"}}})}}),
             201);
    }
    return new_client(slug, name);
  }

  // A client granted read and write on both APIs.
  static Client new_client(const std::string& slug, const std::string& name,
                           bool can_introspect = false, const json& extra = json::object()) {
    json body = extra;
    body["name"] = name;
    body["can_introspect"] = can_introspect;
    const auto created = expect(admin().post("/tenants/" + slug + "/clients", body), 201);
    Client client{slug, created["client_id"].get<std::string>(),
                  created["client_secret"].get<std::string>()};
    for (const auto& format : kFormats) {
      expect(admin().put("/tenants/" + slug + "/clients/" + client.id + "/grants/" +
                             percent_encode(format.audience),
                         {{"scopes", {"read", "write"}}}),
             200);
    }
    return client;
  }

  static std::string tenant_key(const std::string& slug) {
    return expect(admin().post("/admin-keys", {{"name", "key of " + slug}, {"tenant", slug}}),
                  201)["key"]
        .get<std::string>();
  }

  static HttpResult request_token(const Client& client, const Format& format,
                                  const std::string& scope = "read") {
    return http_request("POST", url("/t/" + client.slug + "/oauth/token"),
                        "grant_type=client_credentials&scope=" + scope +
                            "&audience=" + percent_encode(format.audience),
                        {kFormType, basic_auth(client.id, client.secret)});
  }
  static std::string token_of(const Client& client, const Format& format) {
    return expect(request_token(client, format), 200)["access_token"].get<std::string>();
  }

  // POST …/oauth/introspect (or `endpoint`) with `token` and `auth` headers.
  static HttpResult call(const std::string& slug, const std::string& endpoint,
                         const std::string& body, std::vector<std::string> headers) {
    headers.push_back(kFormType);
    return http_request("POST", url("/t/" + slug + "/oauth/" + endpoint), body, headers);
  }
  static HttpResult introspect(const std::string& token, const std::string& auth,
                               const std::string& slug = "intro-a") {
    return call(slug, "introspect", "token=" + percent_encode(token), {auth});
  }
  static HttpResult introspect_as(const Client& caller, const std::string& token) {
    return introspect(token, basic_auth(caller.id, caller.secret), caller.slug);
  }
  static HttpResult revoke(const Client& caller, const std::string& token,
                           const std::string& extra = "") {
    return call(caller.slug, "revoke", "token=" + percent_encode(token) + extra,
                {basic_auth(caller.id, caller.secret)});
  }
  // Whether a superadmin sees `token` as active at intro-a.
  static bool active(const std::string& token, const std::string& slug = "intro-a") {
    const auto r = introspect(token, bearer(server_->key), slug);
    return r.status == 200 && r.json().value("active", false);
  }
  static std::string jti_of(const std::string& token) {
    return expect(introspect(token, bearer(server_->key)), 200)["jti"].get<std::string>();
  }

  inline static AdminServer* server_ = nullptr;
  inline static Client holder_, introspector_, plain_, holder_b_, introspector_b_;
  inline static std::string key_a_, key_b_;
};

}  // namespace tessera::test
