// How the client assertion tests make their assertions: a client's three
// keys (Ed25519, P-256, RSA), valid claims at a fixed time, signing as a
// client would, and the verdicts of grants::verify_client_assertion.
#pragma once

#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "crypto/pkey.hpp"
#include "crypto/public_jwk.hpp"
#include "grants/client_assertion.hpp"

namespace tessera::grants::test {

using nlohmann::json;
using std::chrono::seconds;

inline const std::string kClient = "client-1";
inline const std::string kTokenEndpoint = "https://auth.example.com/t/acme/token";
inline const std::string kIssuer = "https://auth.example.com/t/acme";
inline const std::vector<std::string> kAudiences = {kTokenEndpoint, kIssuer};
inline const domain::Timestamp kNow{seconds(1'700'000'000)};

inline std::int64_t at(seconds offset) {
  return std::chrono::duration_cast<seconds>((kNow + offset).time_since_epoch()).count();
}

// A client key: the public JWK the server holds and how the client signs.
struct ClientKey {
  crypto::PublicJwk jwk;
  std::function<std::string(const std::string&)> sign;
};

inline crypto::PublicJwk read(json jwk) {
  auto result = crypto::read_public_jwk(jwk);
  if (!std::holds_alternative<crypto::PublicJwk>(result)) {
    throw std::runtime_error("the test's own key is refused: " + std::get<std::string>(result));
  }
  return std::get<crypto::PublicJwk>(std::move(result));
}

inline ClientKey new_ed25519(const std::string& kid) {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string secret_key(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                      reinterpret_cast<unsigned char*>(secret_key.data()));
  json jwk = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", crypto::base64url_encode(public_key)}};
  if (!kid.empty()) jwk["kid"] = kid;
  return {read(jwk), [secret_key](const std::string& input) {
            return crypto::ed25519_signature(input, secret_key);
          }};
}

inline ClientKey new_pkey(domain::SigningAlg alg, const std::string& kid) {
  const auto pair = crypto::pkey_generate(alg);
  auto jwk = crypto::PublicPkey::from_der(alg, pair.public_der)->jwk_members();
  if (!kid.empty()) jwk["kid"] = kid;
  const auto private_key = crypto::PrivatePkey::from_der(alg, pair.private_der);
  if (!private_key) throw std::runtime_error("the generated private key does not decode");
  return {read(jwk), [private_key](const std::string& input) { return private_key->sign(input); }};
}

// The client's three keys, made once (RSA generation is slow).
struct Keys {
  ClientKey eddsa = new_ed25519("ed-1");
  ClientKey es256 = new_pkey(domain::SigningAlg::es256, "ec-1");
  ClientKey rs256 = new_pkey(domain::SigningAlg::rs256, "rsa-1");
  std::vector<crypto::PublicJwk> registered() const { return {eddsa.jwk, es256.jwk, rs256.jwk}; }
};

inline const Keys& keys() {
  static const Keys made;
  return made;
}

inline json header_for(const char* alg, const std::string& kid = "") {
  json header = {{"alg", alg}, {"typ", "JWT"}};
  if (!kid.empty()) header["kid"] = kid;
  return header;
}

inline json valid_claims() {
  return {{"iss", kClient},         {"sub", kClient},        {"aud", kTokenEndpoint},
          {"exp", at(seconds(60))}, {"iat", at(seconds(0))}, {"jti", "jti-1"}};
}

inline std::string signed_text(const std::string& header_json, const std::string& payload_json,
                               const ClientKey& key) {
  auto input = crypto::jws_signing_input(header_json, payload_json);
  const auto signature = key.sign(input);
  return crypto::jws_compact(std::move(input), signature);
}

inline std::string assertion(const json& header, const json& claims, const ClientKey& key) {
  return signed_text(header.dump(), claims.dump(), key);
}

inline std::string ed_assertion(const json& claims) {
  return assertion(header_for("EdDSA", "ed-1"), claims, keys().eddsa);
}

inline std::variant<VerifiedAssertion, std::string> verify(const std::string& text) {
  return verify_client_assertion(text, kClient, keys().registered(), kAudiences, kNow);
}

inline VerifiedAssertion accepted(const std::string& text) {
  auto result = verify(text);
  if (const auto* reason = std::get_if<std::string>(&result)) {
    ADD_FAILURE() << "refused: " << *reason;
    return {};
  }
  return std::get<VerifiedAssertion>(std::move(result));
}

inline void expect_refused(const std::string& text) {
  std::variant<VerifiedAssertion, std::string> result;
  ASSERT_NO_THROW(result = verify(text));
  const auto* reason = std::get_if<std::string>(&result);
  ASSERT_NE(reason, nullptr) << "accepted";
  EXPECT_FALSE(reason->empty());
}

inline json with(json claims, const char* name, json value) {
  claims[name] = std::move(value);
  return claims;
}

inline json without(json claims, const char* name) {
  claims.erase(name);
  return claims;
}

}  // namespace tessera::grants::test
