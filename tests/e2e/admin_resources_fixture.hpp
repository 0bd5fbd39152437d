#pragma once

// The shared server and helpers of the admin-resource end-to-end suites
// (APIs, clients, grants and audit events).
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "e2e/admin_api.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

class AdminResourcesE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = new AdminServer(); }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(shared_, nullptr) << "the shared server did not start";
    // Each test works in a tenant of its own.
    slug_ = unique_name("res");
    auto response = admin().post("/tenants", {{"slug", slug_}, {"name", "Resources"}});
    ASSERT_TRUE(IsJsonAnswer(response, 201));
    tenant_id_ = std::to_string(response.json()["id"].get<std::int64_t>());
  }

  static AdminApi admin() { return AdminApi(*shared_); }
  std::string tenant_path() const { return "/tenants/" + slug_; }

  // POSTs under the test's tenant and expects 201; null JSON otherwise.
  json create(const std::string& collection, const json& body) const {
    auto response = admin().post(tenant_path() + "/" + collection, body);
    EXPECT_TRUE(IsJsonAnswer(response, 201)) << body.dump();
    return response.status == 201 ? response.json() : json();
  }
  json create_api(const std::string& identifier, const json& scopes = json::array(),
                  bool is_default = false) const {
    return create("apis", {{"identifier", identifier},
                           {"name", "API " + identifier},
                           {"scopes", scopes},
                           {"is_default", is_default}});
  }
  json create_client(json body = json::object()) const {
    if (!body.contains("name")) body["name"] = "Billing service";
    return create("clients", body);
  }
  static std::string id_of(const json& resource) { return resource["id"].dump(); }
  static std::string client_path_part(const json& client) {
    return "/clients/" + client["client_id"].get<std::string>();
  }

  std::string query(const std::string& sql) const { return shared_->db.query_value(sql); }

  static AdminServer* shared_;
  std::string slug_;
  std::string tenant_id_;
};

AdminServer* AdminResourcesE2eTest::shared_ = nullptr;

const json kOrderScopes = json::array({{{"value", "orders:read"}, {"description", "Read orders"}},
                                       {{"value", "orders:write"}, {"description", "Write orders"}},
                                       {{"value", "admin"}, {"description", ""}}});

// An API's scopes are a set: the server may answer them in any order.
inline std::multiset<std::string> scope_set(const json& scopes) {
  std::multiset<std::string> out;
  for (const auto& scope : scopes) out.insert(scope.dump());
  return out;
}

}  // namespace
}  // namespace tessera::test
