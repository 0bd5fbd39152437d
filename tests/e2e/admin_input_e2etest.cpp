// Hostile text on the admin listener (SPEC §6): a NUL, another control
// character or invalid UTF-8 in a path segment, a query parameter or
// anywhere in a JSON body is 400 invalid_request, never a 500 and never
// handed on to PostgreSQL (libpq would cut the text at a NUL; PostgreSQL
// refuses invalid UTF-8). Afterwards the server answers as before.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/base64url.hpp"
#include "e2e/admin_api.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

class AdminInputE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = new AdminServer(); }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(shared_, nullptr) << "the shared server did not start";
    // Every resource a path can name exists, so a lookup cut short at a NUL
    // would find something.
    slug_ = unique_name("input");
    ASSERT_TRUE(IsJsonAnswer(admin().post("/tenants", {{"slug", slug_}, {"name", "Input"}}), 201));
    auto api = admin().post(tenant() + "/apis", {{"identifier", "https://" + slug_ + ".test"},
                                                 {"name", "API"},
                                                 {"scopes", {{{"value", "read"}}}}});
    ASSERT_TRUE(IsJsonAnswer(api, 201));
    api_id_ = api.json()["id"].dump();
    auto client = admin().post(tenant() + "/clients", {{"name", "Client"}});
    ASSERT_TRUE(IsJsonAnswer(client, 201));
    client_id_ = client.json()["client_id"].get<std::string>();
    log_mark_ = shared_->server.stderr_text().size();
  }

  static AdminApi admin() { return AdminApi(*shared_); }
  std::string tenant() const { return "/tenants/" + slug_; }
  std::string client() const { return tenant() + "/clients/" + client_id_; }
  std::string query(const std::string& sql) const { return shared_->db.query_value(sql); }

  // Each case's status and `error` (and `field`, when one is named).
  struct Case {
    std::string name;
    std::string method;
    std::string path;  // under /admin/v1, percent-encoded as sent
    std::string body;
    std::string field = "";
  };
  static void expect_refused(const std::vector<Case>& cases, long status = 400,
                             const std::string& error = "invalid_request") {
    for (const auto& c : cases) {
      SCOPED_TRACE(c.name + ": " + c.method + " " + c.path);
      const auto response = admin().send(c.method, c.path, c.body);
      EXPECT_TRUE(IsAdminError(response, status, error, c.field));
    }
  }

  // The server is still up and serving, and never failed on the way.
  void expect_still_serving() const {
    ASSERT_TRUE(shared_->server.running());
    EXPECT_TRUE(IsJsonAnswer(admin().get(tenant()), 200));
    EXPECT_TRUE(IsJsonAnswer(admin().get(client()), 200));
    EXPECT_TRUE(IsJsonAnswer(admin().get(tenant() + "/tokens?client_id=" + client_id_), 200));
    EXPECT_TRUE(IsJsonAnswer(admin().post(tenant() + "/clients", {{"name", "Afterwards"}}), 201));
    EXPECT_EQ(http_request("GET", shared_->server.admin_url() + "/healthz").status, 200);
    // The server logs every 500 as "admin request failed" (this test's lines only).
    const auto log = shared_->server.stderr_text().substr(log_mark_);
    EXPECT_EQ(log.find("admin request failed"), std::string::npos) << "a 500 on the way:\n" << log;
  }

  static AdminServer* shared_;
  std::string slug_;
  std::string api_id_;
  std::string client_id_;
  std::size_t log_mark_ = 0;
};

AdminServer* AdminInputE2eTest::shared_ = nullptr;

TEST_F(AdminInputE2eTest, HostilePathSegmentsAre400InvalidRequest) {
  const auto t = tenant();
  const auto c = client();
  expect_refused({
      {"NUL after a tenant slug", "GET", "/tenants/" + slug_ + "%00", ""},
      {"NUL after a tenant slug, PATCH", "PATCH", "/tenants/" + slug_ + "%00x", "{}"},
      {"DEL in a tenant slug", "GET", "/tenants/" + slug_ + "%7f", ""},
      {"NUL inside a client id", "GET", t + "/clients/abc%00def", ""},
      {"NUL after a client id", "GET", c + "%00", ""},
      {"a lone 0xff byte as a client id", "GET", t + "/clients/%ff", ""},
      {"a line feed in a client id", "DELETE", t + "/clients/a%0ab", ""},
      {"invalid UTF-8 as an API", "GET", t + "/apis/%ff%fe", ""},
      {"an overlong '/' as an API", "GET", t + "/apis/%c0%af", ""},
      {"an escape sequence in an API", "PATCH", t + "/apis/x%1b%5b31m", "{}"},
      {"a surrogate as a grant's API", "PUT", c + "/grants/%ed%a0%80", R"({"scopes":[]})"},
      {"NUL after an API id in a grant", "DELETE", c + "/grants/" + api_id_ + "%00", ""},
      {"a C1 control as a token id", "GET", t + "/tokens/%c2%85", ""},
      {"NUL in a secret id", "DELETE", c + "/secrets/1%00", ""},
      {"NUL in an admin key id", "DELETE", "/admin-keys/1%00", ""},
      {"a truncated UTF-8 sequence", "GET", t + "/clients/abc%e2%82", ""},
  });
  expect_still_serving();
}

TEST_F(AdminInputE2eTest, HostileQueryParametersAre400NamingTheParameter) {
  const auto t = tenant();
  // A cursor is opaque base64url; a forged one may decode to any bytes.
  const auto forged_cursor = crypto::base64url_encode(std::string("c1:\xff\x00", 5));
  expect_refused({
      {"NUL in client_id", "GET", t + "/tokens?client_id=" + client_id_ + "%00x", "", "client_id"},
      {"invalid UTF-8 in client_id", "GET", t + "/tokens?client_id=%ff", "", "client_id"},
      {"invalid UTF-8 in api", "GET", t + "/tokens?api=%ff", "", "api"},
      {"NUL in api", "GET", t + "/tokens?api=" + api_id_ + "%00", "", "api"},
      {"a line feed in active", "GET", t + "/tokens?active=true%0a", "", "active"},
      {"NUL in limit", "GET", "/tenants?limit=5%00", "", "limit"},
      {"NUL in cursor", "GET", t + "/clients?cursor=%00", "", "cursor"},
      {"a forged cursor holding invalid UTF-8", "GET", t + "/clients?cursor=" + forged_cursor, "",
       "cursor"},
      {"an escape in since", "GET", t + "/audit-events?since=%1b%5b2J", "", "since"},
      {"invalid UTF-8 in a parameter's name", "GET", "/tenants?%ff=1", ""},
      {"NUL in an unused parameter", "GET", "/admin-keys?x=%00", "", "x"},
  });
  expect_still_serving();
}

TEST_F(AdminInputE2eTest, HostileTextAnywhereInABodyIs400NamingTheField) {
  const auto t = tenant();
  const auto c = client();
  const std::string secret(40, 's');
  expect_refused({
      {"a NUL byte after the JSON", "POST", t + "/clients",
       std::string(R"({"name":"Trailing NUL"})") + '\0', ""},
      {"a NUL byte and more after the JSON", "POST", t + "/clients",
       std::string(R"({"name":"x"})") + '\0' + "garbage", ""},
      {"a NUL byte alone", "POST", t + "/clients", std::string(1, '\0'), ""},
      {"an escaped NUL in a name", "POST", t + "/clients", R"({"name":"a\u0000b"})", "name"},
      {"an escaped C1 control in a name", "POST", t + "/clients", R"({"name":"a\u0085b"})", "name"},
      {"a raw C1 control in a name", "PATCH", c,
       "{\"name\":\"a\xc2\x9b"
       "31m\"}",
       "name"},
      {"raw invalid UTF-8 in a name", "POST", t + "/clients", "{\"name\":\"a\xff\"}", ""},
      {"an escape sequence in a scope description", "POST", t + "/apis",
       R"({"identifier":"https://esc.test","name":"E","scopes":[{"value":"read","description":"\u001b[31mred"}]})",
       "scopes"},
      {"a NUL in a scope description", "PATCH", t + "/apis/" + api_id_,
       R"({"scopes":[{"value":"read","description":"a\u0000b"}]})", "scopes"},
      {"a NUL in a scope value", "PUT", c + "/grants/" + api_id_, R"({"scopes":["read\u0000"]})",
       "scopes"},
      {"a NUL in a tenant slug of a new key", "POST", "/admin-keys",
       R"({"name":"k","tenant":")" + slug_ + R"(\u0000"})", "tenant"},
      {"a NUL in a bulk revocation's client_id", "POST", t + "/tokens/revoke",
       R"({"client_id":")" + client_id_ + R"(\u0000"})", "client_id"},
      {"a NUL in an imported secret", "POST", t + "/clients",
       R"({"name":"Imported","client_secret":")" + secret + R"(\u0000"})", "client_secret"},
      {"a NUL in a member name", "PATCH", t, R"({"name":"N","na\u0000me":"x"})", ""},
      {"a control character in a nested member name", "POST", t + "/apis",
       R"({"identifier":"https://nested.test","name":"N","scopes":[{"val\u0007ue":"read"}]})",
       "scopes"},
      {"a NUL in an unknown field", "PATCH", t, R"({"colour":"\u0000"})", "colour"},
      {"a NUL in a domain", "POST", "/tenants",
       R"({"slug":"nul-domain","name":"N","domains":["a.test\u0000"]})", "domains"},
  });
  EXPECT_EQ(query("SELECT count(*) FROM clients c JOIN tenants t ON t.id = c.tenant_id "
                  "WHERE t.slug = '" +
                  slug_ + "'"),
            "1")
      << "no client was created";
  EXPECT_EQ(query("SELECT count(*) FROM admin_keys WHERE name = 'k'"), "0") << "no key was made";
  EXPECT_EQ(query("SELECT count(*) FROM apis WHERE identifier IN ('https://esc.test', "
                  "'https://nested.test')"),
            "0");
  expect_still_serving();
}

TEST_F(AdminInputE2eTest, CleanTextBeyondAsciiIsAccepted) {
  // Escaped or raw, printable non-ASCII text is not hostile.
  auto created = admin().send("POST", tenant() + "/clients",
                              R"({"name":"Z\u00fcrich \ud83d\ude80 \u2713 Stra)"
                              "\xc3\x9f"
                              R"(e"})");
  ASSERT_TRUE(IsJsonAnswer(created, 201));
  EXPECT_EQ(created.json()["name"],
            "Z\xc3\xbcrich \xf0\x9f\x9a\x80 \xe2\x9c\x93 Stra\xc3\x9f"
            "e");
  auto fetched =
      admin().get(tenant() + "/clients/" + created.json()["client_id"].get<std::string>());
  ASSERT_TRUE(IsJsonAnswer(fetched, 200));
  EXPECT_EQ(fetched.json()["name"], created.json()["name"]);
  // A tab or a newline between JSON tokens is whitespace, not text.
  EXPECT_TRUE(IsJsonAnswer(admin().send("PATCH", tenant(), "{\n\t\"name\": \"Tabbed\"\r\n}"), 200));
  EXPECT_TRUE(IsAdminError(admin().get(tenant() + "/clients/%c3%bc"), 404, "not_found"));
}

TEST_F(AdminInputE2eTest, AnAuthorizationHeaderWithControlCharactersIsAMalformedRequest) {
  // A control character or invalid UTF-8 in a header Tessera reads makes
  // the header section malformed (RFC 9110 §5.5, SPEC §3 and §6): 400 from
  // the listener, before any key is looked at, with Connection: close.
  const auto url = shared_->server.admin_url() + "/admin/v1" + tenant();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a valid key followed by SOH", "Bearer " + shared_->key + "\x01"},
      {"DEL inside the key id", "Bearer tsk_1\x7f_" + std::string(43, 'A')},
      {"invalid UTF-8", "Bearer \xff\xfe"},
  };
  for (const auto& [name, value] : cases) {
    SCOPED_TRACE(name);
    const auto response = http_request("GET", url, "", {"Authorization: " + value});
    EXPECT_TRUE(IsAdminError(response, 400, "invalid_request"));
    std::string connection = response.header("connection");
    for (auto& c : connection) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(connection, "close");
  }
  // A well-formed but unknown key is still the 401 of any bad key.
  EXPECT_TRUE(IsAdminError(
      http_request("GET", url, "", {"Authorization: Bearer tsk_1_" + std::string(43, 'A')}), 401,
      "unauthorized"));
  expect_still_serving();
}

}  // namespace
}  // namespace tessera::test
