#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/master_key.hpp"
#include "crypto/uuid7.hpp"

namespace tessera::tokens {

// Opaque access tokens: "tsat_" + base64url(16-byte UUIDv7 id) +
// base64url(32 random bytes). The recognisable prefix lets secret scanners
// spot a leaked token (as fosite's "ory_at_"); the id finds the record by
// primary key; only a keyed hash of the random part is stored, compared in
// constant time. 256 random bits, [A-Za-z0-9_-] only.
struct OpaqueToken {
  std::string value;
  crypto::Uuid id{};
  std::string hash;  // keyed BLAKE2b of the random part
};

OpaqueToken mint_opaque_token(const crypto::SubKey& token_key, const crypto::Uuid& id);

struct OpaqueTokenParts {
  crypto::Uuid id{};
  std::string secret;  // the random part, still encoded
};
// nullopt when `value` is not shaped like a Tessera opaque token.
std::optional<OpaqueTokenParts> parse_opaque_token(std::string_view value);

std::string opaque_token_hash(const crypto::SubKey& token_key, std::string_view secret_part);

}  // namespace tessera::tokens
