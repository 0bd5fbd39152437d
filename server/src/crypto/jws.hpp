#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tessera::crypto {

// Compact JWS (RFC 7515 §7.1): base64url(header) "." base64url(payload) "."
// base64url(signature), no padding. The signature is over the first two
// parts, the signing input.
std::string jws_signing_input(std::string_view header_json, std::string_view payload_json);
// The signing input with its signature appended: the compact JWS.
std::string jws_compact(std::string signing_input, std::string_view signature);

// The Ed25519 signature (RFC 8037) of a signing input; `secret_key` is
// libsodium's 64-byte Ed25519 secret key.
std::string ed25519_signature(std::string_view signing_input, std::string_view secret_key);
// A compact JWS with EdDSA.
std::string jws_sign_eddsa(std::string_view header_json, std::string_view payload_json,
                           std::string_view secret_key);

struct JwsParts {
  std::string header_json;
  std::string payload_json;
  std::string signing_input;  // "<header>.<payload>" as sent
  std::string signature;      // raw bytes
};

// Splits and decodes a compact JWS; nullopt when malformed. Does not verify.
std::optional<JwsParts> jws_split(std::string_view compact);

// Ed25519 verification of a split JWS with a 32-byte public key.
bool jws_verify_eddsa(const JwsParts& parts, std::string_view public_key);

}  // namespace tessera::crypto
