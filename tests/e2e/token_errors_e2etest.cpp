// The errors of the token endpoint before and after client authentication
// (SPEC §3.1): routing, request syntax, grant type, audience and scope, each
// with its status and its RFC 6749 §5.2 body and headers, and the order in
// which the checks run. Authentication failures: token_authentication_e2etest.
#include <gtest/gtest.h>

#include "e2e/token_fixture.hpp"

namespace tessera::test {
namespace {

using nlohmann::json;

const std::string& kGrant = kClientCredentials;

// The server limits failed authentications per source address too (SPEC §6);
// this suite fails only a few from 127.0.0.1, far below the limit.
class TokenErrorsE2eTest : public TokenSuite<TokenErrorsE2eTest> {};

// --- 1. Routing -------------------------------------------------------------

TEST_F(TokenErrorsE2eTest, AnUnknownTenantIs404NotFound) {
  const auto auth = basic_auth(fx().main);
  const std::vector<std::pair<std::string, HttpResult>> responses = {
      {"unknown slug", post_token(url("/t/nosuch/oauth/token"), kGrant, {auth})},
      {"unknown slug, alias path", post_token(url("/t/nosuch/token"), kGrant, {auth})},
      {"no tenant path and a Host no tenant lists",
       post_token(url("/oauth/token"), kGrant, {"Host: unknown.test", auth})},
  };
  for (const auto& [name, response] : responses) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsOAuthError(response, 404, "not_found"));
  }
}

TEST_F(TokenErrorsE2eTest, AnotherMethodThanPostIs405WithAllow) {
  for (const std::string path :
       {"/oauth/token", "/oauth/token/", "/token", "/oauth2/token", "/oauth2/token/"}) {
    for (const std::string method : {"GET", "PUT", "DELETE", "PATCH"}) {
      SCOPED_TRACE(method + " " + path);
      const auto response =
          http_request(method, url("/t/acme" + path), kGrant, {kFormType, basic_auth(fx().main)});
      EXPECT_TRUE(IsOAuthError(response, 405, ""));
      EXPECT_EQ(response.header("allow"), "POST");
    }
  }
}

TEST_F(TokenErrorsE2eTest, ABodyOver64KiBIs413AndOneWithinTheLimitIsServed) {
  const auto auth = basic_auth(fx().main);
  // Valid parameters, padded with an unknown one to the wanted size.
  auto padded = [](std::size_t size) {
    std::string body = kGrant + "&scope=read&padding=";
    body.append(size - body.size(), 'x');
    return body;
  };
  const auto before = token_count();
  const auto too_big = post_token(token_url(), padded(64 * 1024 + 1), {auth});
  EXPECT_EQ(too_big.status, 413) << describe(too_big);
  std::string big_json = R"({"grant_type":"client_credentials","padding":")";
  big_json.append(64 * 1024 + 1 - big_json.size() - 2, 'x');
  big_json += "\"}";
  ASSERT_EQ(big_json.size(), 64u * 1024 + 1);
  const auto too_big_json = post_token(token_url(), big_json, {auth, kJsonType});
  EXPECT_EQ(too_big_json.status, 413) << describe(too_big_json);
  EXPECT_EQ(token_count(), before) << "no token for a refused body";

  EXPECT_TRUE(IsToken(post_token(token_url(), padded(32 * 1024), {auth}), "read"));
  EXPECT_TRUE(IsToken(post_token(token_url(), padded(64 * 1024), {auth}), "read"))
      << "exactly 64 KiB is within the limit";
}

// --- 2. Request syntax --------------------------------------------------------

TEST_F(TokenErrorsE2eTest, MalformedRequestsAre400InvalidRequest) {
  const auto& main = fx().main;
  const auto auth = basic_auth(main);
  const std::string api = percent_encode(fx().api_identifier);
  auto json_body = [](const std::string& members) {
    return R"({"grant_type":"client_credentials")" + members + "}";
  };
  // Each request is otherwise valid: without its fault it would get a token.
  struct SyntaxCase {
    std::string name;
    std::string body;
    std::vector<std::string> headers;  // a form Content-Type unless one is named
  };
  const std::vector<SyntaxCase> cases = {
      {"unsupported content type", kGrant, {auth, "Content-Type: text/plain"}},
      {"multipart content type", kGrant, {auth, "Content-Type: multipart/form-data; boundary=x"}},
      {"no content type", kGrant, {auth, "Content-Type:"}},
      {"percent-encoding cut short", kGrant + "&scope=read%2", {auth}},
      {"percent-encoding with non-hex digits", kGrant + "&scope=%zzread", {auth}},
      {"a lone percent sign", kGrant + "&scope=read%", {auth}},
      {"a broken percent-encoding in a name", kGrant + "&sc%gope=read", {auth}},
      {"malformed JSON", R"({"grant_type":"client_credentials")", {auth, kJsonType}},
      {"JSON that is not an object", R"(["client_credentials"])", {auth, kJsonType}},
      {"an empty JSON body", "", {auth, kJsonType}},
      {"a number for grant_type", R"({"grant_type":1})", {auth, kJsonType}},
      {"a boolean for scope", json_body(R"(,"scope":true)"), {auth, kJsonType}},
      {"an array for audience", json_body(R"(,"audience":["billing"])"), {auth, kJsonType}},
      {"an object for client_id", json_body(R"(,"client_id":{})"), {auth, kJsonType}},
      {"a null for scope", json_body(R"(,"scope":null)"), {auth, kJsonType}},
      {"an array for resource",
       json_body(R"(,"resource":[")" + fx().api_identifier + "\"]"),
       {auth, kJsonType}},
      {"a duplicate JSON member",
       json_body(R"(,"grant_type":"client_credentials")"),
       {auth, kJsonType}},
      {"a duplicate unknown JSON member", json_body(R"(,"x":1,"x":1)"), {auth, kJsonType}},
      {"grant_type repeated", kGrant + "&" + kGrant, {auth}},
      {"scope repeated", kGrant + "&scope=read&scope=read", {auth}},
      {"audience repeated", kGrant + "&audience=billing&audience=billing", {auth}},
      {"aud repeated", kGrant + "&aud=billing&aud=billing", {auth}},
      {"client_id repeated", kGrant + post_credentials(main) + "&client_id=" + main.id, {}},
      {"client_secret repeated",
       kGrant + post_credentials(main) + "&client_secret=" + main.secret,
       {}},
      {"grant_type missing", "scope=read", {auth}},
      {"grant_type empty", "grant_type=&scope=read", {auth}},
      {"grant_type missing in JSON", R"({"scope":"read"})", {auth, kJsonType}},
      {"Authorization not base64", kGrant, {"Authorization: Basic !!not*base64!!"}},
      {"Authorization without a colon",
       kGrant,
       {"Authorization: Basic " + base64(main.id + main.secret)}},
      {"Authorization with a broken percent-encoding",
       kGrant,
       {"Authorization: Basic " + base64(main.id + ":" + main.secret + "%4")}},
      {"Authorization with a broken percent-encoding in the id",
       kGrant,
       {"Authorization: Basic " + base64(main.id + "%zz:" + main.secret)}},
      {"Authorization Basic without credentials", kGrant, {"Authorization: Basic"}},
      {"Basic and a body client_secret", kGrant + "&client_secret=" + main.secret, {auth}},
      {"Basic and both body credentials", kGrant + post_credentials(main), {auth}},
      {"a body client_id that differs from Basic",
       kGrant + "&client_id=" + fx().imported.id,
       {auth}},
      {"audience and aud disagree", kGrant + "&audience=" + api + "&aud=billing", {auth}},
      {"audience and resource disagree", kGrant + "&audience=billing&resource=" + api, {auth}},
      {"aud and resource disagree in JSON",
       json_body(R"(,"aud":"billing","resource":")" + fx().api_identifier + "\""),
       {auth, kJsonType}},
  };
  const auto before = token_count();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(IsOAuthError(post_token(token_url(), c.body, c.headers), 400, "invalid_request"));
  }
  EXPECT_EQ(token_count(), before);
}

// --- 4.–6. Grant type, audience, scope ---------------------------------------------

TEST_F(TokenErrorsE2eTest, AGrantTypeOtherThanClientCredentialsIs400Unsupported) {
  for (const std::string grant_type :
       {"password", "authorization_code", "refresh_token", "Client_Credentials",
        "urn:ietf:params:oauth:grant-type:jwt-bearer"}) {
    SCOPED_TRACE(grant_type);
    EXPECT_TRUE(IsOAuthError(
        post_token(token_url(),
                   "grant_type=" + percent_encode(grant_type) + "&username=a&password=b",
                   {basic_auth(fx().main)}),
        400, "unsupported_grant_type"));
  }
}

TEST_F(TokenErrorsE2eTest, AnAudienceThatCannotBeServedIs400InvalidTarget) {
  const auto main = basic_auth(fx().main);
  const std::string api = percent_encode(fx().api_identifier);
  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> cases = {
      {"unknown audience", {kGrant + "&audience=https%3A%2F%2Fnope.test", main}},
      {"unknown aud", {kGrant + "&aud=nope", main}},
      {"unknown resource", {kGrant + "&resource=https%3A%2F%2Fnope.test", main}},
      {"an identifier of another tenant",
       {kGrant + "&audience=" + percent_encode(fx().solo_api_identifier), main}},
      {"no grant on the named audience", {kGrant + "&audience=" + api, basic_auth(fx().ungranted)}},
      {"no grant on the default audience", {kGrant, basic_auth(fx().ungranted)}},
      {"no grant on the second API", {kGrant + "&audience=billing", basic_auth(fx().imported)}},
      {"two different resources",
       {kGrant + "&resource=" + api + "&resource=" + percent_encode("https://api.acme.test/other"),
        main}},
      {"two different resources, one agreeing with audience",
       {kGrant + "&audience=" + api + "&resource=" + api + "&resource=https%3A%2F%2Fb.test", main}},
      {"a resource that is not a URI", {kGrant + "&resource=billing", main}},
      {"a relative resource", {kGrant + "&resource=%2Fapi", main}},
      {"a resource with a fragment",
       {kGrant + "&resource=" + percent_encode(fx().api_identifier + "#f"), main}},
  };
  const auto before = token_count();
  for (const auto& [name, request] : cases) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsOAuthError(post_token(token_url(), request.first, {request.second}), 400,
                             "invalid_target"));
  }
  EXPECT_EQ(token_count(), before);
}

TEST_F(TokenErrorsE2eTest, NoAudienceWithoutADefaultAndNoSingleGrantIs400InvalidRequest) {
  EXPECT_TRUE(IsOAuthError(post_token(token_url("solo"), kGrant, {basic_auth(fx().solo_multi)}),
                           400, "invalid_request"));
  EXPECT_TRUE(IsOAuthError(post_token(token_url("solo"), kGrant, {basic_auth(fx().solo_none)}), 400,
                           "invalid_request"));
  // Named, the audience serves.
  EXPECT_TRUE(IsToken(post_token(token_url("solo"),
                                 kGrant + "&audience=" + percent_encode(fx().solo_api_identifier),
                                 {basic_auth(fx().solo_multi)}),
                      "jobs:read"));
}

TEST_F(TokenErrorsE2eTest, AScopeThatCannotBeGrantedIs400InvalidScope) {
  const auto auth = basic_auth(fx().main);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"unknown scope", "scope=delete"},
      {"unknown among granted ones", "scope=read%20write%20delete"},
      {"a scope of the API not granted", "scope=admin"},
      {"a scope of another API", "scope=pay"},
      {"a scope of the default API on the second", "audience=billing&scope=read"},
      {"a character outside scope values", "scope=read%3Bwrite"},
      {"a quote", "scope=read%22"},
      {"a non-ASCII character", "scope=r%C3%A9ad"},
      {"a value over 128 characters", "scope=" + std::string(129, 'r')},
  };
  const auto before = token_count();
  for (const auto& [name, params] : cases) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(
        IsOAuthError(post_token(token_url(), kGrant + "&" + params, {auth}), 400, "invalid_scope"));
  }
  // A control character is refused before any scope check (SPEC §6).
  EXPECT_TRUE(IsOAuthError(post_token(token_url(), kGrant + "&scope=read%09write", {auth}), 400,
                           "invalid_request"));
  EXPECT_EQ(token_count(), before);
}

// --- The order of the checks ------------------------------------------------------

// A request with two faults, and the answer of the earlier check.
struct TwoFaults {
  std::string name;
  HttpResult response;
  long status;
  std::string error;  // "" for 413, which may have another body (SPEC §3)
};

TEST_F(TokenErrorsE2eTest, WithTwoFaultsTheEarlierCheckAnswers) {
  const auto auth = basic_auth(fx().main);
  const auto bad_secret = basic_auth(fx().main.id, "wrong-secret-0123456789");
  const auto bearer = "Authorization: Bearer abc";
  const std::string big = kGrant + "&padding=" + std::string(70 * 1024, 'x');
  auto post = [](const std::string& slug, const std::string& body,
                 const std::vector<std::string>& headers) {
    return post_token(token_url(slug), body, headers);
  };
  auto get = [](const std::string& slug, const std::string& body) {
    return http_request("GET", token_url(slug), body, {kFormType, basic_auth(fx().main)});
  };
  const std::vector<TwoFaults> cases = {
      {"unknown tenant + GET", get("nosuch", ""), 404, "not_found"},
      {"unknown tenant + big body", post("nosuch", big, {auth}), 404, "not_found"},
      {"GET + big body", get("acme", big), 405, ""},
      {"big body + unsupported content type", post("acme", big, {auth, "Content-Type: text/plain"}),
       413, ""},
      {"big body + bad secret", post("acme", big, {bad_secret}), 413, ""},
      {"malformed content + bad secret", post("acme", kGrant + "&scope=%zz", {bad_secret}), 400,
       "invalid_request"},
      {"missing grant_type + bad secret", post("acme", "scope=read", {bad_secret}), 400,
       "invalid_request"},
      {"disagreeing audiences + bad secret",
       post("acme", kGrant + "&audience=billing&aud=other", {bad_secret}), 400, "invalid_request"},
      {"another scheme than Basic + missing grant_type", post("acme", "scope=read", {bearer}), 400,
       "invalid_request"},
      {"another scheme than Basic + disagreeing audiences",
       post("acme", kGrant + "&audience=billing&aud=other", {bearer}), 400, "invalid_request"},
      {"another scheme than Basic + unsupported grant type",
       post("acme", "grant_type=password", {bearer}), 401, "invalid_client"},
      {"bad secret + unsupported grant type", post("acme", "grant_type=password", {bad_secret}),
       401, "invalid_client"},
      {"unknown client + unknown audience",
       post("acme", kGrant + "&audience=nope", {basic_auth("cl_nobody", "x")}), 401,
       "invalid_client"},
      {"unsupported grant type + unknown audience",
       post("acme", "grant_type=password&audience=nope", {auth}), 400, "unsupported_grant_type"},
      {"unsupported grant type + unknown scope",
       post("acme", "grant_type=password&scope=nope", {auth}), 400, "unsupported_grant_type"},
      {"unknown audience + bad scope", post("acme", kGrant + "&audience=nope&scope=r%3Bw", {auth}),
       400, "invalid_target"},
      {"no grant on the audience + unknown scope",
       post("acme", kGrant + "&scope=nope", {basic_auth(fx().ungranted)}), 400, "invalid_target"},
      {"no audience can be chosen + unknown scope",
       post("solo", kGrant + "&scope=nope", {basic_auth(fx().solo_multi)}), 400, "invalid_request"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    if (c.status == 413) {
      EXPECT_EQ(c.response.status, 413) << describe(c.response);
    } else {
      EXPECT_TRUE(IsOAuthError(c.response, c.status, c.error));
    }
  }
}

}  // namespace
}  // namespace tessera::test
