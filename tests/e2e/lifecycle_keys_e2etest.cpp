// Keys over the admin API (SPEC §4): admin keys and what a tenant key may
// see and do, walking long lists, and the audit trail of every lifecycle
// change. Signing keys: lifecycle_signing_keys_e2etest.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "e2e/lifecycle_fixture.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class LifecycleKeysE2eTest : public LifecycleSuite<LifecycleKeysE2eTest> {
 protected:
  // POST /admin-keys as `as`; `tenant` null for none.
  static HttpResult create_key(const AdminApi& as, const std::string& name, const json& tenant) {
    json body = {{"name", name}};
    if (!tenant.is_null()) body["tenant"] = tenant;
    return as.post("/admin-keys", body);
  }
  // A key for `slug` made by the superadmin; its `key` ("" after a failure).
  static std::string tenant_key(const std::string& slug, const std::string& name = "Tenant key") {
    const auto response = create_key(admin(), name, slug);
    EXPECT_TRUE(IsJsonAnswer(response, 201));
    return response.status == 201 ? response.json()["key"].get<std::string>() : "";
  }
  static std::string superadmin_key_id() { return admin_key_id(shared().key); }
  // Whether `key` is accepted (GET /tenants answers 200).
  static bool key_works(const std::string& key) {
    return admin_as(key).get("/tenants").status == 200;
  }
};

const std::regex kAdminKeyPattern("^tsk_[0-9]+_[A-Za-z0-9_-]{43}$");

// --- Admin keys -------------------------------------------------------------

TEST_F(LifecycleKeysE2eTest, ASuperadminCreatesATenantKeyShownOnce) {
  const auto tenant = new_tenant("keys");
  const auto response = create_key(admin(), "Deploy bot", tenant.slug);
  ASSERT_TRUE(IsJsonAnswer(response, 201));
  const auto body = response.json();
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"created_at", "id", "key", "name", "tenant"}));
  ASSERT_TRUE(body["key"].is_string()) << response.body;
  const auto key = body["key"].get<std::string>();
  EXPECT_TRUE(std::regex_match(key, kAdminKeyPattern)) << key;
  EXPECT_EQ(body["id"].dump(), admin_key_id(key)) << "the key carries its id";
  EXPECT_TRUE(body["id"].is_number_integer()) << response.body;
  EXPECT_EQ(body["name"], "Deploy bot");
  EXPECT_EQ(body["tenant"], tenant.slug);
  EXPECT_TRUE(is_rfc3339_utc(body["created_at"])) << response.body;
  EXPECT_TRUE(key_works(key));

  const auto listed = admin().get("/admin-keys?limit=500");
  ASSERT_TRUE(IsJsonAnswer(listed, 200));
  EXPECT_EQ(listed.body.find(admin_key_secret(key)), std::string::npos);
  const auto ids = field_of(listed.json()["items"]);
  EXPECT_NE(std::find(ids.begin(), ids.end(), body["id"].dump()), ids.end()) << listed.body;
  EXPECT_NE(std::find(ids.begin(), ids.end(), superadmin_key_id()), ids.end()) << listed.body;
}

TEST_F(LifecycleKeysE2eTest, ATenantKeyListsOnlyItsOwnTenant) {
  const auto own = new_tenant("own");
  new_tenant("other");
  const auto key = tenant_key(own.slug);

  const auto all = walk_list(admin(), "/tenants");
  EXPECT_GE(all.items.size(), 4u) << "acme, solo, own and other";
  const auto visible = walk_list(admin_as(key), "/tenants");
  ASSERT_EQ(visible.items.size(), 1u) << json(visible.items).dump();
  EXPECT_EQ(visible.items[0]["slug"], own.slug);
}

TEST_F(LifecycleKeysE2eTest, ATenantKeyFindsNothingUnderAnotherTenant) {
  const auto own = new_tenant("own");
  const auto other = new_tenant("other");
  const auto own_client = new_client(own.slug, own.api_id, {"read"});
  const auto other_client = new_client(other.slug, other.api_id, {"read"});
  ASSERT_EQ(request_token(other.slug, other_client).status, 200);
  const auto as_tenant = admin_as(tenant_key(own.slug));

  const auto readable = [](const LifecycleTenant& t, const TokenClient& c) {
    const auto base = "/tenants/" + t.slug;
    return std::vector<std::string>{base,
                                    base + "/clients",
                                    base + "/clients/" + c.id,
                                    base + "/clients/" + c.id + "/secrets",
                                    base + "/clients/" + c.id + "/grants",
                                    base + "/apis",
                                    base + "/apis/" + t.api_id,
                                    base + "/tokens",
                                    base + "/signing-keys",
                                    base + "/audit-events"};
  };
  // Its own tenant answers, so the 404s below are about scope, not the key.
  for (const auto& path : readable(own, own_client)) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(IsJsonAnswer(as_tenant.get(path), 200));
  }
  for (const auto& path : readable(other, other_client)) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(IsAdminError(as_tenant.get(path), 404, "not_found"));
  }

  const auto base = "/tenants/" + other.slug;
  EXPECT_TRUE(IsAdminError(as_tenant.patch(base, {{"name", "Taken"}}), 404, "not_found"));
  EXPECT_TRUE(IsAdminError(as_tenant.del(base), 404, "not_found"));
  EXPECT_TRUE(
      IsAdminError(as_tenant.post(base + "/clients", {{"name", "Intruder"}}), 404, "not_found"));
  EXPECT_TRUE(
      IsAdminError(as_tenant.patch(base + "/clients/" + other_client.id, {{"status", "disabled"}}),
                   404, "not_found"));
  EXPECT_TRUE(IsAdminError(
      as_tenant.post(base + "/clients/" + other_client.id + "/secrets", json::object()), 404,
      "not_found"));
  EXPECT_TRUE(
      IsAdminError(as_tenant.post(base + "/tokens/revoke", json::object()), 404, "not_found"));
  EXPECT_TRUE(IsAdminError(as_tenant.post(base + "/signing-keys/rotate", json::object()), 404,
                           "not_found"));

  // Nothing changed there.
  const auto tenant = admin().get(base);
  ASSERT_TRUE(IsJsonAnswer(tenant, 200));
  EXPECT_EQ(tenant.json()["name"], "Tenant " + other.slug);
  EXPECT_EQ(tenant.json()["status"], "active");
  EXPECT_EQ(walk_list(admin(), base + "/clients").items.size(), 1u);
  EXPECT_EQ(walk_list(admin(), base + "/clients/" + other_client.id + "/secrets").items.size(), 1u);
  EXPECT_EQ(query("SELECT count(*) FROM tokens WHERE revoked_at IS NULL AND client_id = '" +
                  other_client.id + "'"),
            "1");
  EXPECT_EQ(query("SELECT count(*) FROM signing_keys WHERE tenant_id = " + other.id), "2");
  EXPECT_TRUE(IsToken(request_token(other.slug, other_client), "read"));
}

TEST_F(LifecycleKeysE2eTest, ATenantKeyCannotDoASuperadminsWork) {
  const auto own = new_tenant("own");
  const auto other = new_tenant("other");
  const auto as_tenant = admin_as(tenant_key(own.slug));
  const auto keys_before = query("SELECT count(*) FROM admin_keys");

  const auto slug = unique_name("forbidden");
  EXPECT_TRUE(
      IsAdminError(as_tenant.post("/tenants", {{"slug", slug}, {"name", "No"}}), 403, "forbidden"));
  EXPECT_TRUE(IsAdminError(admin().get("/tenants/" + slug), 404, "not_found"))
      << "the tenant was not created";
  EXPECT_TRUE(IsAdminError(create_key(as_tenant, "Foreign", other.slug), 403, "forbidden"));
  EXPECT_TRUE(IsAdminError(create_key(as_tenant, "Super", json()), 403, "forbidden"));
  EXPECT_EQ(query("SELECT count(*) FROM admin_keys"), keys_before) << "no key was created";

  const auto own_key = create_key(as_tenant, "Sibling", own.slug);
  ASSERT_TRUE(IsJsonAnswer(own_key, 201));
  EXPECT_EQ(own_key.json()["tenant"], own.slug);
  EXPECT_TRUE(std::regex_match(own_key.json()["key"].get<std::string>(), kAdminKeyPattern));
  const auto sibling = admin_as(own_key.json()["key"].get<std::string>());
  EXPECT_TRUE(IsJsonAnswer(sibling.get("/tenants/" + own.slug), 200));
  EXPECT_TRUE(IsAdminError(sibling.get("/tenants/" + other.slug), 404, "not_found"));
}

TEST_F(LifecycleKeysE2eTest, ATenantKeyListsOnlyItsTenantsKeysWithoutTheirValues) {
  const auto own = new_tenant("own");
  const auto other = new_tenant("other");
  const auto first = tenant_key(own.slug, "First");
  const auto second_response = create_key(admin_as(first), "Second", own.slug);
  ASSERT_TRUE(IsJsonAnswer(second_response, 201));
  const auto second = second_response.json()["key"].get<std::string>();
  const auto foreign = tenant_key(other.slug, "Foreign");

  const auto response = admin_as(first).get("/admin-keys");
  ASSERT_TRUE(IsJsonAnswer(response, 200));
  const auto items = response.json()["items"];
  std::vector<std::string> ids = field_of(items);
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> expected = {admin_key_id(first), admin_key_id(second)};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ids, expected) << response.body;
  for (const auto& item : items) {
    EXPECT_EQ(keys_of(item),
              (std::vector<std::string>{"created_at", "id", "last_used_at", "name", "tenant"}))
        << item.dump();
    EXPECT_EQ(item["tenant"], own.slug) << item.dump();
  }
  for (const auto& key : {first, second, foreign, shared().key}) {
    EXPECT_EQ(response.body.find(admin_key_secret(key)), std::string::npos);
  }
  for (const auto* leak : {"\"key\"", "hash"}) {
    EXPECT_EQ(response.body.find(leak), std::string::npos) << leak << " in " << response.body;
  }
}

TEST_F(LifecycleKeysE2eTest, ATenantKeyDeletesOnlyItsOwnTenantsKeys) {
  const auto own = new_tenant("own");
  const auto other = new_tenant("other");
  const auto first = tenant_key(own.slug, "First");
  const auto second = tenant_key(own.slug, "Second");
  const auto foreign = tenant_key(other.slug, "Foreign");
  const auto as_first = admin_as(first);

  for (const auto& id :
       {admin_key_id(foreign), superadmin_key_id(), std::string("999999999"), std::string("abc")}) {
    SCOPED_TRACE(id);
    EXPECT_TRUE(IsAdminError(as_first.del("/admin-keys/" + id), 404, "not_found"));
  }
  EXPECT_TRUE(key_works(foreign));
  EXPECT_TRUE(key_works(shared().key));

  const auto deleted = as_first.del("/admin-keys/" + admin_key_id(second));
  EXPECT_EQ(deleted.status, 204) << describe(deleted);
  EXPECT_EQ(deleted.body, "");
  EXPECT_TRUE(IsAdminError(admin_as(second).get("/tenants/" + own.slug), 401, "unauthorized"));
  EXPECT_TRUE(key_works(first));
  EXPECT_EQ(field_of(admin_as(first).get("/admin-keys").json()["items"]),
            (std::vector<std::string>{admin_key_id(first)}));
}

TEST_F(LifecycleKeysE2eTest, ASuperadminDeletesAnyKey) {
  const auto tenant = new_tenant("keys");
  const auto key = tenant_key(tenant.slug);
  ASSERT_TRUE(key_works(key));
  const auto deleted = admin().del("/admin-keys/" + admin_key_id(key));
  EXPECT_EQ(deleted.status, 204) << describe(deleted);
  EXPECT_TRUE(IsAdminError(admin_as(key).get("/tenants"), 401, "unauthorized"));
  const auto ids = field_of(walk_list(admin(), "/admin-keys").items);
  EXPECT_EQ(std::find(ids.begin(), ids.end(), admin_key_id(key)), ids.end());
  EXPECT_TRUE(IsAdminError(admin().del("/admin-keys/" + admin_key_id(key)), 404, "not_found"))
      << "a deleted key is gone";
}

// --- Pagination -------------------------------------------------------------

TEST_F(LifecycleKeysE2eTest, PagesVisitEachOfTwoHundredFiftyClientsExactlyOnce) {
  const auto slug = unique_name("many");
  fx().create_tenant(slug, {});
  std::set<std::string> created;
  for (int i = 0; i < 250; ++i) {
    const auto response =
        admin().post("/tenants/" + slug + "/clients", {{"name", "Client " + std::to_string(i)}});
    ASSERT_TRUE(IsJsonAnswer(response, 201)) << i;
    created.insert(response.json()["client_id"].dump());
  }
  ASSERT_EQ(created.size(), 250u);

  for (const int limit : {100, 0}) {
    SCOPED_TRACE(limit == 0 ? "the default limit" : "limit=100");
    const auto walk = walk_list(admin(), "/tenants/" + slug + "/clients", limit);
    const std::vector<std::size_t> expected_pages =
        limit == 100 ? std::vector<std::size_t>{100, 100, 50}
                     : std::vector<std::size_t>{50, 50, 50, 50, 50};
    EXPECT_EQ(walk.page_sizes, expected_pages);
    const auto ids = field_of(walk.items, "client_id");
    EXPECT_EQ(ids.size(), 250u);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), created) << "each client once";
  }

  for (const auto* limit : {"0", "501", "ten", "-1"}) {
    SCOPED_TRACE(limit);
    EXPECT_TRUE(IsAdminError(admin().get("/tenants/" + slug + "/clients?limit=" + limit), 400,
                             "invalid_request", "limit"));
  }
  EXPECT_TRUE(IsAdminError(admin().get("/tenants/" + slug + "/clients?cursor=bogus"), 400,
                           "invalid_request", "cursor"));
}

// --- Audit events -----------------------------------------------------------

TEST_F(LifecycleKeysE2eTest, AuditEventsRecordEveryLifecycleChangeWithItsActor) {
  const auto slug = unique_name("audit");
  fx().create_tenant(slug, {});
  const auto api_id = fx().create_api(slug, "https://" + slug + ".test", {"read"}, true);
  const auto c = new_client(slug, api_id, {"read"});
  const auto base = "/tenants/" + slug;
  const auto tenant_key_text = tenant_key(slug, "Auditor");

  const auto rotated =
      admin().post(base + "/clients/" + c.id + "/secrets", {{"grace_seconds", 60}});
  ASSERT_TRUE(IsJsonAnswer(rotated, 201));
  ASSERT_EQ(admin().del(base + "/clients/" + c.id + "/secrets/" + c.secret_id).status, 204);
  const auto fresh = TokenClient{c.id, rotated.json()["client_secret"].get<std::string>(), ""};
  ASSERT_EQ(request_token(slug, fresh).status, 200);
  ASSERT_EQ(request_token(slug, fresh).status, 200);
  const auto token_id =
      query("SELECT id::text FROM tokens WHERE client_id = '" + c.id + "' ORDER BY id LIMIT 1");
  ASSERT_EQ(admin().del(base + "/tokens/" + token_id).status, 204);
  const auto bulk = admin().post(base + "/tokens/revoke", {{"client_id", c.id}});
  ASSERT_TRUE(IsJsonAnswer(bulk, 200));
  ASSERT_TRUE(IsJsonAnswer(
      admin_as(tenant_key_text).post(base + "/signing-keys/rotate", json::object()), 200));

  const auto walk = walk_list(admin(), base + "/audit-events");
  const std::vector<std::string> lifecycle = {
      "tenant.create", "client.create",     "client.secret.rotate", "client.secret.revoke",
      "token.revoke",  "token.revoke_bulk", "signing_key.rotate"};
  std::map<std::string, json> event;
  std::vector<std::string> order;
  std::int64_t last_id = 0;
  for (const auto& e : walk.items) {
    EXPECT_EQ(keys_of(e), (std::vector<std::string>{"action", "actor_key_id", "details", "id",
                                                    "target_id", "target_type", "time"}))
        << e.dump();
    EXPECT_TRUE(e["id"].is_number_integer() && e["id"].get<std::int64_t>() > last_id)
        << "ids ascend: " << e.dump();
    if (e["id"].is_number_integer()) last_id = e["id"].get<std::int64_t>();
    EXPECT_TRUE(is_rfc3339_utc(e["time"])) << e.dump();
    EXPECT_TRUE(e["details"].is_object()) << e.dump();
    EXPECT_FALSE(e["actor_key_id"].is_null()) << e.dump();
    const auto action = e["action"].get<std::string>();
    if (std::find(lifecycle.begin(), lifecycle.end(), action) != lifecycle.end()) {
      order.push_back(action);
      event[action] = e;
    }
  }
  ASSERT_EQ(order, lifecycle) << json(walk.items).dump();

  const auto superadmin = json::parse(superadmin_key_id());
  for (const auto& action : lifecycle) {
    SCOPED_TRACE(action);
    EXPECT_EQ(event[action]["actor_key_id"], action == "signing_key.rotate"
                                                 ? json::parse(admin_key_id(tenant_key_text))
                                                 : superadmin);
  }
  EXPECT_EQ(event["client.create"]["target_id"], c.id);
  EXPECT_EQ(event["client.secret.rotate"]["target_id"], c.id);
  EXPECT_EQ(event["client.secret.rotate"]["details"]["secret_id"], rotated.json()["id"]);
  EXPECT_EQ(event["client.secret.revoke"]["details"]["secret_id"].dump(), c.secret_id);
  EXPECT_EQ(event["token.revoke"]["target_id"], token_id);
  EXPECT_EQ(event["token.revoke_bulk"]["details"]["revoked"], 1);
  const auto all_details = json(walk.items).dump();
  EXPECT_EQ(all_details.find(rotated.json()["client_secret"].get<std::string>()),
            std::string::npos);
  EXPECT_EQ(all_details.find(c.secret), std::string::npos);
  EXPECT_EQ(all_details.find(admin_key_secret(tenant_key_text)), std::string::npos);
}

TEST_F(LifecycleKeysE2eTest, AuditEventsSinceATimeLeaveOutEarlierOnes) {
  const auto slug = unique_name("since");
  fx().create_tenant(slug, {});
  const auto c = fx().create_client(slug, "Early", "");
  const auto base = "/tenants/" + slug;
  ASSERT_TRUE(IsJsonAnswer(admin().post(base + "/signing-keys/rotate", json::object()), 200));
  ASSERT_TRUE(
      IsJsonAnswer(admin().post(base + "/clients/" + c.id + "/secrets", json::object()), 201));

  // The cut falls halfway between the last early and the first late event,
  // as the server's own clock stamped them: no waiting for time to pass.
  const auto all = walk_list(admin(), base + "/audit-events").items;
  std::vector<std::string> actions;
  for (const auto& e : all) actions.push_back(e["action"].get<std::string>());
  ASSERT_EQ(actions, (std::vector<std::string>{"tenant.create", "client.create",
                                               "signing_key.rotate", "client.secret.rotate"}));
  const auto last_early = parse_time(all[1]["time"]);
  const auto first_late = parse_time(all[2]["time"]);
  // `since` goes through a double in SQL: keep the cut microseconds away.
  ASSERT_GT(first_late - last_early, std::chrono::microseconds(8)) << "no instant between them";
  const auto cut = last_early + (first_late - last_early) / 2;
  const std::vector<std::string> late{actions[2], actions[3]};

  const auto since = walk_list(admin(), base + "/audit-events?since=" + format_time(cut));
  EXPECT_EQ(field_of(since.items, "action"),
            (std::vector<std::string>{json(late[0]).dump(), json(late[1]).dump()}));
  const auto paged = walk_list(admin(), base + "/audit-events?since=" + format_time(cut), 1);
  EXPECT_EQ(paged.page_sizes, (std::vector<std::size_t>{1, 1}));
  const auto future =
      walk_list(admin(), base + "/audit-events?since=" + format_time(Clock::now() + 1h));
  EXPECT_TRUE(future.items.empty()) << json(future.items).dump();

  for (const auto* malformed :
       {"yesterday", "2026-13-01T00:00:00Z", "2026-01-01", "1700000000", "2026-01-01T00:00:00"}) {
    SCOPED_TRACE(malformed);
    EXPECT_TRUE(IsAdminError(admin().get(base + "/audit-events?since=" + percent_encode(malformed)),
                             400, "invalid_request", "since"));
  }
}

}  // namespace
}  // namespace tessera::test
