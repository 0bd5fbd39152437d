// Opening a tenant's JWT signing key when its view is loaded
// (tokens/jwt_signing_key): which key opens, for which tenants, and what a
// key that does not open leaves for mint_jwt.
#include "tokens/jwt_signing_key.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "crypto/signing_keys.hpp"
#include "tokens/jwt_token.hpp"

namespace tessera::tokens {
namespace {

using domain::SigningKeyState;
using domain::TokenFormat;

const domain::TenantId kTenant{42};

crypto::SubKey seal_key_of(char fill) {
  return crypto::SubKey::make(
      [fill](unsigned char* out) { std::fill(out, out + crypto::SubKey::kSize, fill); });
}

domain::Api api(std::int64_t id, std::optional<TokenFormat> format) {
  domain::Api out;
  out.tenant_id = kTenant;
  out.id = domain::ApiId{id};
  out.identifier = "https://api" + std::to_string(id) + ".test";
  out.token_format = format;
  return out;
}

JwtClaims claims() {
  JwtClaims c;
  c.iss = "https://auth.test/t/acme";
  c.client_id = "svc";
  c.aud = "https://api1.test";
  c.iat = 1700000000;
  c.exp = 1700003600;
  c.jti = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  c.scope = "read";
  return c;
}

// A tenant's view as PostgreSQL serves it: a next, an active and a retired
// key, only the active one's private half sealed in it.
class JwtSigningKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    view_.tenant.id = kTenant;
    view_.tenant.slug = "acme";
    view_.tenant.token_format = TokenFormat::jwt;
    view_.apis = {api(1, std::nullopt)};
    for (const auto state :
         {SigningKeyState::next, SigningKeyState::active, SigningKeyState::retired}) {
      const auto made = crypto::make_signing_key(crypto::SubKeyRing(seal_key_), kTenant, state);
      domain::PublishedKey key;
      key.kid = made.kid;
      key.state = made.state;
      key.public_key = made.public_key;
      if (state == SigningKeyState::active) key.sealed_private_key = made.sealed_private_key;
      view_.keys.push_back(key);
    }
  }

  bool active_is_open(const domain::TenantView& view) const {
    return view.active_key()->private_key.has_value();
  }

  crypto::SubKey seal_key_ = seal_key_of('s');
  domain::TenantView view_;
};

TEST_F(JwtSigningKeyTest, OpensTheActiveKeyOnlyAndItSignsTokensThatVerify) {
  open_jwt_signing_keys(crypto::SubKeyRing(seal_key_), view_);
  for (const auto& key : view_.keys) {
    EXPECT_EQ(key.private_key.has_value(), key.state == SigningKeyState::active)
        << domain::to_string(key.state);
  }
  const auto token = mint_jwt(view_, claims());
  EXPECT_TRUE(verify_jwt(view_, token).has_value());
}

TEST_F(JwtSigningKeyTest, CopiesOfTheViewShareTheOpenKey) {
  open_jwt_signing_keys(crypto::SubKeyRing(seal_key_), view_);
  const auto copy = view_;
  ASSERT_TRUE(active_is_open(copy));
  EXPECT_EQ(copy.active_key()->private_key->data(), view_.active_key()->private_key->data());
  EXPECT_TRUE(verify_jwt(view_, mint_jwt(copy, claims())).has_value());
}

// The format rule of the token endpoint (grants::effective_format): the
// API's format, else the tenant's, else opaque.
TEST_F(JwtSigningKeyTest, OpensItOnlyWhenSomeApiIssuesJwts) {
  struct Case {
    const char* name;
    std::optional<TokenFormat> tenant;
    std::vector<std::optional<TokenFormat>> apis;
    bool opens;
  };
  const Case cases[] = {
      {"tenant jwt, API unset", TokenFormat::jwt, {std::nullopt}, true},
      {"tenant unset, one API jwt", std::nullopt, {std::nullopt, TokenFormat::jwt}, true},
      {"tenant opaque, one API jwt",
       TokenFormat::opaque,
       {TokenFormat::opaque, TokenFormat::jwt},
       true},
      {"tenant and APIs unset", std::nullopt, {std::nullopt, std::nullopt}, false},
      {"tenant opaque", TokenFormat::opaque, {std::nullopt}, false},
      {"tenant jwt, every API opaque", TokenFormat::jwt, {TokenFormat::opaque}, false},
      {"tenant jwt, no API", TokenFormat::jwt, {}, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto view = view_;
    view.tenant.token_format = c.tenant;
    view.apis.clear();
    for (const auto& format : c.apis) {
      view.apis.push_back(api(static_cast<std::int64_t>(view.apis.size()) + 1, format));
    }
    open_jwt_signing_keys(crypto::SubKeyRing(seal_key_), view);
    EXPECT_EQ(active_is_open(view), c.opens);
  }
}

// Before the key was opened at load, mint_jwt opened it and threw
// std::runtime_error when it did not open; the token endpoint answers that
// with its 500. A key that does not open at load gives the same.
TEST_F(JwtSigningKeyTest, AKeyThatDoesNotOpenLeavesMintingToFailAsBefore) {
  auto other_tenant = view_;
  other_tenant.tenant.id = domain::TenantId{43};  // sealed for 42
  auto other_master = view_;
  auto tampered = view_;
  auto& sealed = tampered.keys[1].sealed_private_key;
  sealed[sealed.size() / 2] = static_cast<char>(sealed[sealed.size() / 2] ^ 1);

  open_jwt_signing_keys(crypto::SubKeyRing(seal_key_), other_tenant);
  open_jwt_signing_keys(crypto::SubKeyRing(seal_key_of('t')), other_master);
  open_jwt_signing_keys(crypto::SubKeyRing(seal_key_), tampered);
  for (const auto* view : {&other_tenant, &other_master, &tampered}) {
    EXPECT_FALSE(active_is_open(*view));
    try {
      mint_jwt(*view, claims());
      ADD_FAILURE() << "minted with a key that does not open";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "the tenant's active signing key does not open");
    }
  }
}

TEST_F(JwtSigningKeyTest, ATenantWithoutAnActiveKeyDoesNotMint) {
  view_.keys.erase(view_.keys.begin() + 1);
  open_jwt_signing_keys(crypto::SubKeyRing(seal_key_), view_);
  for (const auto& key : view_.keys) EXPECT_FALSE(key.private_key.has_value());
  EXPECT_THROW(mint_jwt(view_, claims()), std::runtime_error);
}

}  // namespace
}  // namespace tessera::tokens
