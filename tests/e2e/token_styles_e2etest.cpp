// The token endpoint accepts every request style of the servers it replaces
// (SPEC §3.1): Basic or body credentials, form or JSON, the audience
// synonyms, comma-separated scopes, every alias path and Host routing; and
// it chooses the audience, the scopes and the lifetime as the contract says.
#include <gtest/gtest.h>

#include <set>

#include "e2e/token_fixture.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

const std::string& kGrant = kClientCredentials;

class TokenStylesE2eTest : public TokenSuite<TokenStylesE2eTest> {};

struct StyleCase {
  std::string name;
  std::string body;
  std::vector<std::string> headers;  // a form Content-Type unless one is named
  std::string scope;                 // the scope the token must carry
};

TEST_F(TokenStylesE2eTest, EveryRequestStyleGetsABearerTokenWithSortedScopes) {
  const auto& main = fx().main;
  const std::string api = percent_encode(fx().api_identifier);
  const std::vector<StyleCase> cases = {
      {"Basic, form, scope and aud",
       kGrant + "&scope=read%20write&aud=" + api,
       {basic_auth(main)},
       "read write"},
      {"scopes given out of order come back sorted",
       kGrant + "&scope=write+read",
       {basic_auth(main)},
       "read write"},
      {"comma-separated scopes", kGrant + "&scope=read%2Cwrite", {basic_auth(main)}, "read write"},
      {"comma-and-space-separated scopes",
       kGrant + "&scope=write%2C%20read",
       {basic_auth(main)},
       "read write"},
      {"empty items and duplicates are ignored",
       kGrant + "&scope=%2Cread%2C%2Cwrite%20%20read%2C",
       {basic_auth(main)},
       "read write"},
      {"one scope of the grant", kGrant + "&scope=write", {basic_auth(main)}, "write"},
      {"client_secret_post", kGrant + "&scope=read" + post_credentials(main), {}, "read"},
      {"Basic with a matching body client_id",
       kGrant + "&scope=read&client_id=" + main.id,
       {basic_auth(main)},
       "read"},
      {"the Basic scheme in lower case",
       kGrant + "&scope=read",
       {"Authorization: basic " + base64(main.id + ":" + main.secret)},
       "read"},
      {"Basic and a JSON body",
       json({{"grant_type", "client_credentials"}, {"scope", "write read"}}).dump(),
       {basic_auth(main), kJsonType},
       "read write"},
      {"JSON with client_id, client_secret and audience",
       json({{"grant_type", "client_credentials"},
             {"client_id", main.id},
             {"client_secret", main.secret},
             {"audience", fx().api_identifier},
             {"scope", "read,write"}})
           .dump(),
       {kJsonType},
       "read write"},
      {"JSON with unknown members of any type",
       json({{"grant_type", "client_credentials"},
             {"scope", "read"},
             {"n", 1},
             {"flag", true},
             {"list", {1, "x"}},
             {"obj", {{"scope", 2}}},
             {"nothing", nullptr}})
           .dump(),
       {basic_auth(main), kJsonType},
       "read"},
      {"JSON with media-type parameters",
       json({{"grant_type", "client_credentials"}, {"scope", "read"}}).dump(),
       {basic_auth(main), "Content-Type: application/json; charset=utf-8"},
       "read"},
      {"a media type in upper case",
       json({{"grant_type", "client_credentials"}}).dump(),
       {basic_auth(main), "Content-Type: Application/JSON"},
       "read write"},
      {"a form with media-type parameters",
       kGrant + "&scope=read",
       {basic_auth(main), "Content-Type: application/x-www-form-urlencoded; charset=UTF-8"},
       "read"},
      {"resource naming the default API",
       kGrant + "&resource=" + api,
       {basic_auth(main)},
       "read write"},
      {"resource repeated with the same value",
       kGrant + "&resource=" + api + "&resource=" + api,
       {basic_auth(main)},
       "read write"},
      {"audience, aud and resource that agree",
       kGrant + "&audience=" + api + "&aud=" + api + "&resource=" + api,
       {basic_auth(main)},
       "read write"},
      {"audience naming an API that is not a URI",
       kGrant + "&audience=billing",
       {basic_auth(main)},
       "pay"},
      {"aud naming an API that is not a URI, with its scope",
       kGrant + "&aud=billing&scope=pay",
       {basic_auth(main)},
       "pay"},
      {"unknown form parameters are ignored",
       kGrant + "&scope=read&state=xyz&foo=",
       {basic_auth(main)},
       "read"},
  };
  std::set<std::string> tokens;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto response = post_token(token_url(), c.body, c.headers);
    EXPECT_TRUE(IsToken(response, c.scope));
    if (response.status == 200) tokens.insert(access_token_of(response));
  }
  EXPECT_EQ(tokens.size(), cases.size()) << "every request gets a token of its own";
}

TEST_F(TokenStylesE2eTest, EveryAliasPathIssuesATokenOfTheTenant) {
  for (const std::string path :
       {"/oauth/token", "/oauth/token/", "/token", "/oauth2/token", "/oauth2/token/"}) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(
        IsToken(post_token(url("/t/acme" + path), kGrant, {basic_auth(fx().main)}), "read write"));
    // The solo client exists only in the solo tenant: the path chose it.
    EXPECT_TRUE(
        IsToken(post_token(url("/t/solo" + path), kGrant, {basic_auth(fx().solo)}), "jobs:run"));
  }
}

TEST_F(TokenStylesE2eTest, AHostMatchingATenantDomainNeedsNoTenantPrefix) {
  for (const std::string host :
       {"Host: ACME.test:8080", "Host: acme.test", "Host: Acme.Test:443"}) {
    SCOPED_TRACE(host);
    EXPECT_TRUE(IsToken(post_token(url("/oauth/token"), kGrant, {host, basic_auth(fx().main)}),
                        "read write"));
    EXPECT_TRUE(IsToken(
        post_token(url("/token"), kGrant + "&scope=read", {host, basic_auth(fx().main)}), "read"));
  }
}

TEST_F(TokenStylesE2eTest, ATenantPathWinsOverTheHostHeader) {
  // Host names acme, the path names solo: the solo client is found.
  EXPECT_TRUE(IsToken(
      post_token(url("/t/solo/oauth/token"), kGrant, {"Host: acme.test", basic_auth(fx().solo)}),
      "jobs:run"));
}

TEST_F(TokenStylesE2eTest, TheImportedSecretWithReservedCharactersWorksThroughBasic) {
  const auto& client = fx().imported;
  ASSERT_EQ(client.secret, kImportedSecret) << "an imported secret is echoed once";
  // Spaces percent-encoded, or as '+' (form-urlencoding); both decode alike.
  const std::string form_encoded = "imp%3Aor%2Bted+%25secret+with+spaces+1234567890";
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"percent-encoded", basic_auth(client)},
      {"form-encoded", "Authorization: Basic " + base64(client.id + ":" + form_encoded)},
  };
  for (const auto& [name, header] : headers) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsToken(post_token(token_url(), kGrant, {header}), "read"));
  }
}

TEST_F(TokenStylesE2eTest, TheImportedSecretWithReservedCharactersWorksThroughTheBody) {
  const auto& client = fx().imported;
  EXPECT_TRUE(IsToken(post_token(token_url(), kGrant + post_credentials(client)), "read"));
  EXPECT_TRUE(IsToken(
      post_token(token_url(), kGrant + "&client_id=" + client.id +
                                  "&client_secret=imp%3Aor%2Bted+%25secret+with+spaces+1234567890"),
      "read"));
  const auto body = json({{"grant_type", "client_credentials"},
                          {"client_id", client.id},
                          {"client_secret", client.secret}});
  EXPECT_TRUE(IsToken(post_token(token_url(), body.dump(), {kJsonType}), "read"));
}

TEST_F(TokenStylesE2eTest, AnOmittedOrEmptyScopeGivesEveryGrantedScope) {
  const auto auth = basic_auth(fx().main);
  const std::vector<StyleCase> cases = {
      {"scope omitted", kGrant, {auth}, "read write"},
      {"scope empty", kGrant + "&scope=", {auth}, "read write"},
      {"scope of separators only", kGrant + "&scope=+%2C+", {auth}, "read write"},
      {"JSON scope empty",
       json({{"grant_type", "client_credentials"}, {"scope", ""}}).dump(),
       {auth, kJsonType},
       "read write"},
      {"scope omitted on the second API", kGrant + "&audience=billing", {auth}, "pay"},
      {"the imported client", kGrant, {basic_auth(fx().imported)}, "read"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(IsToken(post_token(token_url(), c.body, c.headers), c.scope));
  }
}

TEST_F(TokenStylesE2eTest, AGrantWithoutScopesGivesATokenWithAnEmptyScope) {
  const auto client = fx().create_client(fx().slug, "No scopes", "");
  fx().grant(fx().slug, client, fx().billing_api_id, {});
  EXPECT_TRUE(
      IsToken(post_token(token_url(), kGrant + "&audience=billing", {basic_auth(client)}), ""));
}

TEST_F(TokenStylesE2eTest, WithoutADefaultApiTheClientsOnlyGrantIsTheAudience) {
  // The solo tenant has two APIs and no default; the client holds one grant.
  EXPECT_TRUE(IsToken(post_token(token_url("solo"), kGrant, {basic_auth(fx().solo)}), "jobs:run"));
  EXPECT_TRUE(
      IsToken(post_token(token_url("solo"), kGrant + "&scope=jobs:run", {basic_auth(fx().solo)}),
              "jobs:run"));
}

TEST_F(TokenStylesE2eTest, TheLifetimeIsTheClientsElseTheApisElseTheTenants) {
  // A tenant of its own, so that other tests keep the default lifetime.
  const std::string slug = "ttl";
  fx().create_tenant(slug, {});
  const auto api = fx().create_api(slug, "https://ttl.test", {"read"}, true);
  const auto client = fx().create_client(slug, "TTL", "");
  fx().grant(slug, client, api, {"read"});
  const auto& admin = fx().admin();
  auto expires_in_now = [&]() -> long {
    const auto r = post_token(token_url(slug), kGrant, {basic_auth(client)});
    EXPECT_TRUE(IsJsonAnswer(r, 200));
    return r.status == 200 ? r.json()["expires_in"].get<long>() : -1;
  };
  auto patch = [&](const std::string& path, const json& body) {
    ASSERT_TRUE(IsJsonAnswer(admin.patch(path, body), 200)) << path << " " << body.dump();
  };
  const std::string tenant_path = "/tenants/" + slug;
  const std::string api_path = tenant_path + "/apis/" + api;
  const std::string client_path = tenant_path + "/clients/" + client.id;

  EXPECT_EQ(expires_in_now(), 3600) << "nothing set: the default";
  patch(tenant_path, {{"default_token_ttl", 1800}});
  EXPECT_EQ(expires_in_now(), 1800) << "the tenant's default";
  patch(api_path, {{"token_ttl", 900}});
  EXPECT_EQ(expires_in_now(), 900) << "the API's over the tenant's";
  patch(client_path, {{"token_ttl", 120}});
  EXPECT_EQ(expires_in_now(), 120) << "the client's over the API's";
  patch(api_path, {{"token_ttl", 60}});
  EXPECT_EQ(expires_in_now(), 120) << "the client's over a shorter API's";
  patch(client_path, {{"token_ttl", nullptr}});
  EXPECT_EQ(expires_in_now(), 60) << "the client's cleared: the API's";
  patch(api_path, {{"token_ttl", nullptr}});
  EXPECT_EQ(expires_in_now(), 1800) << "the API's cleared: the tenant's";
  patch(tenant_path, {{"default_token_ttl", nullptr}});
  EXPECT_EQ(expires_in_now(), 3600) << "all cleared: the default";
}

}  // namespace
}  // namespace tessera::test
