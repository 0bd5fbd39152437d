// What the end-to-end suites of the token endpoint (SPEC §3.1) share: the
// tenants, APIs, clients and grants every suite issues tokens against, ways
// to send a token request in each style, and the checks every answer must
// pass (a token, or an RFC 6749 §5.2 error).
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "e2e/admin_api.hpp"

namespace tessera::test {

// A client of the fixture with its secret (as created) and the id of that
// secret in `client_secrets`.
struct TokenClient {
  std::string id;
  std::string secret;
  std::string secret_id;
};

// An imported secret with every character that needs care in Basic: ':'
// (the separator), '+' (a space once form-decoded), '%' and spaces.
inline const std::string kImportedSecret = "imp:or+ted %secret with spaces 1234567890";

// The world of the token suites, created through the admin API:
// - tenant `acme` (domain acme.test) with the default API
//   https://api.acme.test {read, write, admin} and the API `billing` {pay};
//   client `main` (generated secret) granted read+write and pay, client
//   `imported` (kImportedSecret) granted read, client `ungranted` without
//   grants;
// - tenant `solo` without a default API, with two APIs: client `solo` holds
//   exactly one grant (jobs:run on https://jobs.solo.test), `solo_multi`
//   holds a grant on each, `solo_none` none.
struct TokenFixture {
  explicit TokenFixture(const AdminServer& server) : admin_(server), db_(server.db) {
    tenant_id = create_tenant(slug, {domain});
    api_id = create_api(slug, api_identifier, {"read", "write", "admin"}, true);
    billing_api_id = create_api(slug, billing_identifier, {"pay"}, false);
    main = create_client(slug, "Main", "");
    grant(slug, main, api_id, {"read", "write"});
    grant(slug, main, billing_api_id, {"pay"});
    imported = create_client(slug, "Imported", kImportedSecret);
    grant(slug, imported, api_id, {"read"});
    ungranted = create_client(slug, "Ungranted", "");

    solo_tenant_id = create_tenant(solo_slug, {});
    solo_api_id = create_api(solo_slug, solo_api_identifier, {"jobs:run", "jobs:read"}, false);
    solo_other_api_id = create_api(solo_slug, "https://other.solo.test", {"other"}, false);
    solo = create_client(solo_slug, "Solo", "");
    grant(solo_slug, solo, solo_api_id, {"jobs:run"});
    solo_multi = create_client(solo_slug, "Solo multi", "");
    grant(solo_slug, solo_multi, solo_api_id, {"jobs:read"});
    grant(solo_slug, solo_multi, solo_other_api_id, {"other"});
    solo_none = create_client(solo_slug, "Solo none", "");
  }

  // A client (generated secret unless `imported_secret`), as admin creates it.
  TokenClient create_client(const std::string& tenant, const std::string& name,
                            const std::string& imported_secret) const {
    nlohmann::json body = {{"name", name}};
    if (!imported_secret.empty()) body["client_secret"] = imported_secret;
    const auto created = expect(admin_.post("/tenants/" + tenant + "/clients", body), 201);
    TokenClient client;
    client.id = created["client_id"].get<std::string>();
    client.secret = created["client_secret"].get<std::string>();
    client.secret_id =
        db_.query_value("SELECT id FROM client_secrets WHERE client_id = '" + client.id + "'");
    return client;
  }

  std::string create_tenant(const std::string& tenant,
                            const std::vector<std::string>& domains) const {
    const auto created =
        expect(admin_.post("/tenants",
                           {{"slug", tenant}, {"name", "Tenant " + tenant}, {"domains", domains}}),
               201);
    return created["id"].dump();
  }

  std::string create_api(const std::string& tenant, const std::string& identifier,
                         const std::vector<std::string>& scopes, bool is_default) const {
    nlohmann::json scope_list = nlohmann::json::array();
    for (const auto& scope : scopes) scope_list.push_back({{"value", scope}});
    const auto created =
        expect(admin_.post("/tenants/" + tenant + "/apis", {{"identifier", identifier},
                                                            {"name", "API " + identifier},
                                                            {"scopes", scope_list},
                                                            {"is_default", is_default}}),
               201);
    return created["id"].dump();
  }

  void grant(const std::string& tenant, const TokenClient& client, const std::string& api,
             const std::vector<std::string>& scopes) const {
    expect(admin_.put("/tenants/" + tenant + "/clients/" + client.id + "/grants/" + api,
                      {{"scopes", scopes}}),
           200);
  }

  const AdminApi& admin() const { return admin_; }

  std::string slug = "acme";
  std::string domain = "acme.test";
  std::string tenant_id;
  std::string api_identifier = "https://api.acme.test";
  std::string api_id;
  std::string billing_identifier = "billing";
  std::string billing_api_id;
  TokenClient main;
  TokenClient imported;
  TokenClient ungranted;

  std::string solo_slug = "solo";
  std::string solo_tenant_id;
  std::string solo_api_identifier = "https://jobs.solo.test";
  std::string solo_api_id;
  std::string solo_other_api_id;
  TokenClient solo;
  TokenClient solo_multi;
  TokenClient solo_none;

 private:
  // Set-up runs in SetUpTestSuite, where a failed step must stop the suite.
  static nlohmann::json expect(const HttpResult& response, long status) {
    if (response.status != status) {
      throw std::runtime_error("fixture set-up: expected " + std::to_string(status) + ", got " +
                               describe(response));
    }
    return response.body.empty() ? nlohmann::json() : response.json();
  }

  AdminApi admin_;
  const TestDatabase& db_;
};

// A test suite's one server and one fixture, made in SetUpTestSuite. Each
// suite names itself as `Suite`, so that it gets a server of its own.
template <typename Suite>
class TokenSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AdminServer(Suite::server_settings());
    fixture_ = new TokenFixture(*server_);
  }
  static void TearDownTestSuite() {
    delete fixture_;
    fixture_ = nullptr;
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "the shared server did not start";
    ASSERT_NE(fixture_, nullptr) << "the fixture was not created";
  }

  // The server's extra environment; a suite hides this to configure its own.
  static Env server_settings() { return {}; }

  static const TokenFixture& fx() { return *fixture_; }
  static std::string url(const std::string& path) { return server_->server.public_url() + path; }
  static std::string token_url(const std::string& slug = "acme") {
    return url("/t/" + slug + "/oauth/token");
  }
  static std::string query(const std::string& sql) { return server_->db.query_value(sql); }
  static std::string token_count() { return query("SELECT count(*) FROM tokens"); }

  inline static AdminServer* server_ = nullptr;
  inline static TokenFixture* fixture_ = nullptr;
};

// --- Requests ---------------------------------------------------------------

inline const std::string kClientCredentials = "grant_type=client_credentials";

// Standard base64 (RFC 4648 §4) with padding, as HTTP Basic uses it. Written
// here rather than taken from the server's code, so the two can disagree.
inline std::string base64(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    const auto n = static_cast<unsigned char>(bytes[i]) << 16;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// The header of client_secret_basic: both halves form-urlencoded, then
// base64 (RFC 6749 §2.3.1).
inline std::string basic_auth(const std::string& client_id, const std::string& secret) {
  return "Authorization: Basic " + base64(percent_encode(client_id) + ":" + percent_encode(secret));
}
inline std::string basic_auth(const TokenClient& client) {
  return basic_auth(client.id, client.secret);
}

// The body fields of client_secret_post, to append to a form body.
inline std::string post_credentials(const TokenClient& client) {
  return "&client_id=" + percent_encode(client.id) +
         "&client_secret=" + percent_encode(client.secret);
}

inline const std::string kFormType = "Content-Type: application/x-www-form-urlencoded";
inline const std::string kJsonType = "Content-Type: application/json";

// POST to a token URL; a form body unless `headers` name a Content-Type.
inline HttpResult post_token(const std::string& url, const std::string& body,
                             std::vector<std::string> headers = {}) {
  bool has_type = false;
  for (const auto& header : headers) {
    std::string name = header.substr(0, header.find(':'));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "content-type") has_type = true;
  }
  if (!has_type) headers.push_back(kFormType);
  return http_request("POST", url, body, headers);
}

// --- Checks -----------------------------------------------------------------

// A token answer (SPEC §3.1): 200, JSON with exactly access_token (an opaque
// `tsat_` token), token_type Bearer, expires_in and scope as expected, and
// the no-store / no-cache headers.
inline ::testing::AssertionResult IsToken(const HttpResult& r, const std::string& scope,
                                          long expires_in = 3600) {
  auto ok = IsJsonAnswer(r, 200);
  if (!ok) return ok;
  if (r.header("cache-control") != "no-store") {
    return ::testing::AssertionFailure()
           << "Cache-Control is '" << r.header("cache-control") << "'";
  }
  if (r.header("pragma") != "no-cache") {
    return ::testing::AssertionFailure() << "Pragma is '" << r.header("pragma") << "'";
  }
  const auto body = r.json();
  if (!body.is_object() || keys_of(body) != std::vector<std::string>{"access_token", "expires_in",
                                                                     "scope", "token_type"}) {
    return ::testing::AssertionFailure()
           << "not {access_token, token_type, expires_in, scope}: " << r.body;
  }
  static const std::regex token_pattern("^tsat_[A-Za-z0-9_-]{65}$");
  if (!body["access_token"].is_string() ||
      !std::regex_match(body["access_token"].get<std::string>(), token_pattern)) {
    return ::testing::AssertionFailure() << "access_token is not a tsat_ token: " << r.body;
  }
  if (body["token_type"] != "Bearer") {
    return ::testing::AssertionFailure() << "token_type is not Bearer: " << r.body;
  }
  if (!body["expires_in"].is_number_integer() || body["expires_in"] != expires_in) {
    return ::testing::AssertionFailure() << "expected expires_in " << expires_in << ": " << r.body;
  }
  if (body["scope"] != scope) {
    return ::testing::AssertionFailure() << "expected scope \"" << scope << "\": " << r.body;
  }
  return ::testing::AssertionSuccess();
}

inline std::string access_token_of(const HttpResult& r) {
  if (r.status != 200) return "";
  return r.json()["access_token"].get<std::string>();
}

// An OAuth error (RFC 6749 §5.2, SPEC §3): the status, Content-Type
// application/json, Cache-Control no-store and a JSON object with the string
// `error` equal to `code` (any non-empty one for "", where no code is
// specified, as for 405) and a string `error_description`.
inline ::testing::AssertionResult IsOAuthError(const HttpResult& r, long status,
                                               const std::string& code) {
  auto ok = IsJsonAnswer(r, status);
  if (!ok) return ok;
  if (r.header("cache-control") != "no-store") {
    return ::testing::AssertionFailure()
           << "Cache-Control is '" << r.header("cache-control") << "': " << describe(r);
  }
  const auto body = r.json();
  if (!body.is_object() || !body.contains("error") || !body["error"].is_string() ||
      !body.contains("error_description") || !body["error_description"].is_string()) {
    return ::testing::AssertionFailure() << "not {error, error_description} strings: " << r.body;
  }
  if (code.empty() ? body["error"] == "" : body["error"] != code) {
    return ::testing::AssertionFailure() << "expected error " << code << ", got " << describe(r);
  }
  return ::testing::AssertionSuccess();
}

// A failed client authentication (SPEC §3.1): 401 invalid_client, with
// `WWW-Authenticate: Basic realm="tessera"` exactly when Basic was used.
inline ::testing::AssertionResult IsInvalidClient(const HttpResult& r, bool after_basic) {
  auto ok = IsOAuthError(r, 401, "invalid_client");
  if (!ok) return ok;
  const auto challenge = r.header("www-authenticate");
  if (after_basic && challenge != "Basic realm=\"tessera\"") {
    return ::testing::AssertionFailure() << "WWW-Authenticate is '" << challenge << "'";
  }
  if (!after_basic && r.headers.count("www-authenticate") != 0) {
    return ::testing::AssertionFailure() << "unexpected WWW-Authenticate: " << challenge;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace tessera::test
