#include "grants/client_credentials.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/oauth_error.hpp"
#include "domain/token_views.hpp"
#include "endpoints/token_request_reader.hpp"
#include "grants/token_request.hpp"

namespace tessera::grants {
namespace {

using domain::Api;
using domain::ApiId;
using domain::ClientView;
using domain::OAuthError;
using domain::TenantView;
using domain::TokenFormat;
using Pairs = std::vector<std::pair<std::string, std::string>>;
using Scopes = std::vector<std::string>;

constexpr const char* kOrders = "https://orders.example.com";  // id 1
constexpr const char* kBilling = "billing";                    // id 2, not an absolute URI
constexpr const char* kReports = "urn:example:reports";        // id 3

Api api(std::int64_t id, const std::string& identifier, const Scopes& scopes) {
  Api out;
  out.tenant_id = domain::TenantId{1};
  out.id = ApiId{id};
  out.identifier = identifier;
  out.name = identifier;
  for (const auto& scope : scopes) out.scopes.push_back({scope, ""});
  return out;
}

// Three live APIs; the first is the default unless `with_default` is false.
TenantView tenant(bool with_default = true) {
  TenantView view;
  view.tenant.id = domain::TenantId{1};
  view.tenant.slug = "acme";
  view.apis.push_back(api(1, kOrders, {"admin", "read", "write"}));
  view.apis.push_back(api(2, kBilling, {"invoice:read", "invoice:write"}));
  view.apis.push_back(api(3, kReports, {"export"}));
  view.apis[0].is_default = with_default;
  return view;
}

// Granted on orders (read, write) and billing (invoice:read); not on reports.
ClientView client(std::map<std::int64_t, Scopes> grants = {{1, {"read", "write"}},
                                                           {2, {"invoice:read"}}}) {
  ClientView view;
  view.client.tenant_id = domain::TenantId{1};
  view.client.client_id = domain::ClientId{"client-a"};
  view.grants = std::move(grants);
  return view;
}

// A request as read_token_request leaves it; grant_type client_credentials
// unless `pairs` names another.
TokenRequest request(Pairs pairs) {
  bool has_grant = false;
  for (const auto& [name, value] : pairs) has_grant = has_grant || name == "grant_type";
  if (!has_grant) pairs.emplace_back("grant_type", "client_credentials");
  http::OAuthParams params;
  for (const auto& [name, value] : pairs) params.add(name, value);
  return endpoints::read_token_request(params, http::ParsedAuthorization{});
}

// The error code decide_client_credentials throws, or "none".
std::string error_of(const Pairs& pairs, const TenantView& tenant_view = tenant(),
                     const ClientView& client_view = client()) {
  try {
    decide_client_credentials(request(pairs), tenant_view, client_view);
  } catch (const OAuthError& error) {
    EXPECT_EQ(error.status(), 400);
    return domain::to_string(error.code());
  }
  return "none";
}

TEST(DecideClientCredentialsTest, RefusesAnotherGrantType) {
  for (const std::string grant : {"password", "authorization_code", "refresh_token", "client"}) {
    SCOPED_TRACE(grant);
    EXPECT_EQ(error_of({{"grant_type", grant}}), "unsupported_grant_type");
  }
}

TEST(DecideClientCredentialsTest, FindsTheAudienceByIdentifier) {
  const auto view = tenant();
  for (const std::string field : {"audience", "aud"}) {
    SCOPED_TRACE(field);
    const auto plan = decide_client_credentials(request({{field, kBilling}}), view, client());
    ASSERT_NE(plan.api, nullptr);
    EXPECT_EQ(plan.api->id, ApiId{2});
    EXPECT_EQ(plan.scopes, Scopes{"invoice:read"});
  }
}

TEST(DecideClientCredentialsTest, RefusesAnUnknownAudienceAsAnInvalidTarget) {
  EXPECT_EQ(error_of({{"audience", "https://unknown.example.com"}}), "invalid_target");
  EXPECT_EQ(error_of({{"audience", "Billing"}}), "invalid_target");
}

TEST(DecideClientCredentialsTest, RefusesAnAudienceWithoutAGrant) {
  EXPECT_EQ(error_of({{"audience", kReports}}), "invalid_target");
  EXPECT_EQ(error_of({{"resource", kReports}}), "invalid_target");
}

TEST(DecideClientCredentialsTest, UsesTheDefaultApiWhenTheAudienceIsOmitted) {
  const auto view = tenant();
  const auto plan = decide_client_credentials(request({}), view, client());
  ASSERT_NE(plan.api, nullptr);
  EXPECT_EQ(plan.api->identifier, kOrders);
  EXPECT_EQ(plan.scopes, (Scopes{"read", "write"}));
}

TEST(DecideClientCredentialsTest, RefusesTheDefaultApiWithoutAGrantOnIt) {
  EXPECT_EQ(error_of({}, tenant(), client({{2, {"invoice:read"}}})), "invalid_target");
}

TEST(DecideClientCredentialsTest, UsesTheOnlyGrantedLiveApiWithoutADefault) {
  const auto view = tenant(false);
  // A grant on an API that is no longer live (id 9) does not count.
  const auto plan =
      decide_client_credentials(request({}), view, client({{2, {"invoice:read"}}, {9, {"old"}}}));
  ASSERT_NE(plan.api, nullptr);
  EXPECT_EQ(plan.api->id, ApiId{2});
  EXPECT_EQ(plan.scopes, Scopes{"invoice:read"});
}

TEST(DecideClientCredentialsTest, RefusesAnOmittedAudienceWhenNoneCanBeChosen) {
  EXPECT_EQ(error_of({}, tenant(false), client()), "invalid_request");
  EXPECT_EQ(error_of({}, tenant(false), client({})), "invalid_request");
  EXPECT_EQ(error_of({}, tenant(false), client({{9, {"old"}}})), "invalid_request");
}

TEST(DecideClientCredentialsTest, RefusesSeveralResources) {
  EXPECT_EQ(error_of({{"resource", kOrders}, {"resource", kReports}}), "invalid_target");
  EXPECT_EQ(error_of({{"audience", kOrders}, {"resource", kOrders}, {"resource", kReports}}),
            "invalid_target");
}

TEST(DecideClientCredentialsTest, AcceptsTheSameResourceRepeated) {
  const auto view = tenant();
  const auto plan = decide_client_credentials(
      request({{"resource", kOrders}, {"resource", kOrders}}), view, client());
  ASSERT_NE(plan.api, nullptr);
  EXPECT_EQ(plan.api->id, ApiId{1});
}

// RFC 8707 §2: resource is an absolute URI; other identifiers go by audience.
TEST(DecideClientCredentialsTest, RefusesAResourceThatIsNotAnAbsoluteUri) {
  EXPECT_EQ(error_of({{"resource", kBilling}}), "invalid_target");
  EXPECT_EQ(error_of({{"audience", kBilling}}), "none");
  EXPECT_EQ(error_of({{"aud", kBilling}}), "none");
  // Any non-URI resource is refused, even when audience names the same API.
  EXPECT_EQ(error_of({{"audience", kBilling}, {"resource", kBilling}}), "invalid_target");
  EXPECT_EQ(error_of({{"resource", kOrders}}), "none");
  EXPECT_EQ(error_of({{"resource", "urn:example:unknown"}}), "invalid_target");
}

TEST(DecideClientCredentialsTest, GrantsEveryGrantedScopeWhenScopeIsOmitted) {
  const auto view = tenant();
  const auto granted = client({{1, {"admin", "read", "write"}}});
  for (const Pairs& pairs : std::vector<Pairs>{{}, {{"scope", ""}}, {{"scope", " , "}}}) {
    SCOPED_TRACE(pairs.empty() ? "(omitted)" : "'" + pairs.front().second + "'");
    const auto plan = decide_client_credentials(request(pairs), view, granted);
    EXPECT_EQ(plan.scopes, (Scopes{"admin", "read", "write"}));
  }
}

TEST(DecideClientCredentialsTest, GrantsARequestedSubsetSorted) {
  const auto view = tenant();
  const auto granted = client({{1, {"admin", "read", "write"}}});
  struct Case {
    std::string scope;
    Scopes expected;
  };
  const std::vector<Case> cases = {
      {"write", {"write"}},
      {"write read", {"read", "write"}},
      {"write,admin, read", {"admin", "read", "write"}},
      {"read read", {"read"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.scope);
    const auto plan = decide_client_credentials(request({{"scope", c.scope}}), view, granted);
    EXPECT_EQ(plan.scopes, c.expected);
  }
}

TEST(DecideClientCredentialsTest, RefusesScopesThatAreUnknownUngrantedOrMalformed) {
  struct Case {
    std::string scope;
    std::string why;
  };
  const std::vector<Case> cases = {
      {"delete", "unknown on the API"},
      {"read invoice:read", "a scope of another API"},
      {"admin", "known but not granted"},
      {"read admin", "one of two not granted"},
      {"read!", "malformed"},
      {"read;write", "malformed separator"},
      {std::string(129, 'r'), "too long"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.why);
    EXPECT_EQ(error_of({{"scope", c.scope}}), "invalid_scope");
  }
}

TEST(DecideClientCredentialsTest, GivesNoScopesForAGrantWithoutScopes) {
  const auto view = tenant();
  const auto granted = client({{3, {}}});
  const auto plan = decide_client_credentials(request({{"audience", kReports}}), view, granted);
  ASSERT_NE(plan.api, nullptr);
  EXPECT_EQ(plan.api->id, ApiId{3});
  EXPECT_TRUE(plan.scopes.empty());
  EXPECT_EQ(error_of({{"audience", kReports}, {"scope", "export"}}, view, granted),
            "invalid_scope");
}

TEST(EffectiveTtlTest, PrefersClientThenApiThenTenantThen3600) {
  struct Case {
    std::optional<int> client_ttl;
    std::optional<int> api_ttl;
    std::optional<int> tenant_ttl;
    int expected;
  };
  const std::vector<Case> cases = {
      {60, 120, 240, 60},
      {60, std::nullopt, 240, 60},
      {60, std::nullopt, std::nullopt, 60},
      {std::nullopt, 120, 240, 120},
      {std::nullopt, 120, std::nullopt, 120},
      {std::nullopt, std::nullopt, 240, 240},
      {std::nullopt, std::nullopt, std::nullopt, 3600},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expected);
    domain::Client the_client;
    the_client.token_ttl = c.client_ttl;
    Api the_api = api(1, kOrders, {});
    the_api.token_ttl = c.api_ttl;
    domain::Tenant the_tenant;
    the_tenant.default_token_ttl = c.tenant_ttl;
    EXPECT_EQ(effective_ttl(the_client, the_api, the_tenant), c.expected);
  }
}

TEST(EffectiveFormatTest, PrefersApiThenTenantThenOpaque) {
  struct Case {
    std::optional<TokenFormat> api_format;
    std::optional<TokenFormat> tenant_format;
    TokenFormat expected;
  };
  const std::vector<Case> cases = {
      {TokenFormat::jwt, TokenFormat::opaque, TokenFormat::jwt},
      {TokenFormat::opaque, TokenFormat::jwt, TokenFormat::opaque},
      {std::nullopt, TokenFormat::jwt, TokenFormat::jwt},
      {TokenFormat::jwt, std::nullopt, TokenFormat::jwt},
      {std::nullopt, std::nullopt, TokenFormat::opaque},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    Api the_api = api(1, kOrders, {});
    the_api.token_format = cases[i].api_format;
    domain::Tenant the_tenant;
    the_tenant.token_format = cases[i].tenant_format;
    EXPECT_EQ(effective_format(the_api, the_tenant), cases[i].expected);
  }
}

TEST(DecideClientCredentialsTest, PlansTheEffectiveLifetimeAndFormat) {
  auto view = tenant();
  view.tenant.default_token_ttl = 900;
  view.tenant.token_format = TokenFormat::jwt;
  view.apis[1].token_ttl = 300;
  view.apis[1].token_format = TokenFormat::opaque;

  auto plan = decide_client_credentials(request({}), view, client());
  EXPECT_EQ(plan.ttl_seconds, 900);
  EXPECT_EQ(plan.format, TokenFormat::jwt);

  plan = decide_client_credentials(request({{"audience", kBilling}}), view, client());
  EXPECT_EQ(plan.ttl_seconds, 300);
  EXPECT_EQ(plan.format, TokenFormat::opaque);

  auto overridden = client();
  overridden.client.token_ttl = 30;
  plan = decide_client_credentials(request({{"audience", kBilling}}), view, overridden);
  EXPECT_EQ(plan.ttl_seconds, 30);
}

// SPEC §3.1: with several faults the earliest check answers (grant type,
// then audience, then scope).
TEST(DecideClientCredentialsTest, AnswersWithTheEarliestFailingCheck) {
  struct Case {
    std::string name;
    Pairs pairs;
    bool with_default;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"grant type before unknown audience",
       {{"grant_type", "password"}, {"audience", "https://unknown"}},
       true,
       "unsupported_grant_type"},
      {"grant type before several resources",
       {{"grant_type", "password"}, {"resource", kOrders}, {"resource", kReports}},
       true,
       "unsupported_grant_type"},
      {"grant type before non-URI resource",
       {{"grant_type", "password"}, {"resource", kBilling}},
       true,
       "unsupported_grant_type"},
      {"grant type before no audience to choose",
       {{"grant_type", "password"}},
       false,
       "unsupported_grant_type"},
      {"grant type before malformed scope",
       {{"grant_type", "password"}, {"scope", "bad!"}},
       true,
       "unsupported_grant_type"},
      {"unknown audience before malformed scope",
       {{"audience", "https://unknown"}, {"scope", "bad!"}},
       true,
       "invalid_target"},
      {"no grant before ungranted scope",
       {{"audience", kReports}, {"scope", "admin"}},
       true,
       "invalid_target"},
      {"several resources before unknown scope",
       {{"resource", kOrders}, {"resource", kReports}, {"scope", "delete"}},
       true,
       "invalid_target"},
      {"non-URI resource before unknown scope",
       {{"resource", kBilling}, {"scope", "delete"}},
       true,
       "invalid_target"},
      {"no audience to choose before malformed scope",
       {{"scope", "bad!"}},
       false,
       "invalid_request"},
      {"unknown scope once the audience is fine",
       {{"audience", kOrders}, {"scope", "delete"}},
       true,
       "invalid_scope"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(error_of(c.pairs, tenant(c.with_default), client()), c.expected);
  }
}

}  // namespace
}  // namespace tessera::grants
