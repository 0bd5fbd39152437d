#include "crypto/master_key.hpp"

#include <sodium.h>

#include <algorithm>

#include "crypto/base64url.hpp"

namespace tessera::crypto {
namespace {

struct Derivation {
  const char* context;  // exactly crypto_kdf_CONTEXTBYTES (8) characters
  std::uint64_t id;
};

// Fixed forever: see KeyPurpose.
Derivation derivation_of(KeyPurpose purpose) {
  switch (purpose) {
    case KeyPurpose::client_secret_hash: return {"tssecret", 1};
    case KeyPurpose::admin_key_hash: return {"tsadmkey", 1};
    case KeyPurpose::token_hash: return {"tstoken_", 1};
    case KeyPurpose::signing_key_seal: return {"tssignky", 1};
  }
  return {"tsunused", 0};
}

}  // namespace

static_assert(crypto_kdf_KEYBYTES == 32, "the master key is 32 bytes");

MasterKey::MasterKey(const std::string& bytes) {
  std::copy(bytes.begin(), bytes.end(), bytes_.begin());
}

std::optional<MasterKey> MasterKey::parse(std::string_view text) {
  auto bytes = base64url_decode(text);
  if (!bytes || bytes->size() != 32) return std::nullopt;
  MasterKey key(*bytes);
  sodium_memzero(bytes->data(), bytes->size());
  return key;
}

SubKey MasterKey::derive(KeyPurpose purpose) const {
  const Derivation d = derivation_of(purpose);
  SubKey out{};
  crypto_kdf_derive_from_key(out.data(), out.size(), d.id, d.context, bytes_.data());
  return out;
}

}  // namespace tessera::crypto
