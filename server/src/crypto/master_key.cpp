#include "crypto/master_key.hpp"

#include <sodium.h>

#include <cstring>
#include <string>

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
    case KeyPurpose::client_secret_hash:
      return {"tssecret", 1};
    case KeyPurpose::admin_key_hash:
      return {"tsadmkey", 1};
    case KeyPurpose::token_hash:
      return {"tstoken_", 1};
    case KeyPurpose::signing_key_seal:
      return {"tssignky", 1};
    case KeyPurpose::dpop_nonce:
      return {"tsdpopnc", 1};
  }
  return {"tsunused", 0};
}

// Fixed forever too: a changed fingerprint would orphan every stored row.
constexpr Derivation kFingerprint{"tskeyfp_", 1};
constexpr std::size_t kFingerprintBytes = 16;

}  // namespace

static_assert(crypto_kdf_BYTES_MIN <= kFingerprintBytes, "a fingerprint is a crypto_kdf output");
static_assert(crypto_kdf_KEYBYTES == GuardedKey::kSize, "the master key is 32 bytes");
static_assert(crypto_kdf_BYTES_MIN <= GuardedKey::kSize &&
                  GuardedKey::kSize <= crypto_kdf_BYTES_MAX,
              "sub-keys are 32 bytes");

std::optional<MasterKey> MasterKey::parse(std::string_view text) {
  auto bytes = base64url_decode(text);
  if (!bytes) return std::nullopt;
  // The decoded key leaves no copy outside guarded memory, whatever happens.
  struct Wipe {
    std::string& text;
    ~Wipe() { sodium_memzero(text.data(), text.size()); }
  } wipe{*bytes};
  if (bytes->size() != GuardedKey::kSize) return std::nullopt;
  return MasterKey(GuardedKey::make(
      [&bytes](unsigned char* out) { std::memcpy(out, bytes->data(), GuardedKey::kSize); }));
}

SubKey MasterKey::derive(KeyPurpose purpose) const {
  const Derivation d = derivation_of(purpose);
  return GuardedKey::make([&](unsigned char* out) {
    crypto_kdf_derive_from_key(out, GuardedKey::kSize, d.id, d.context, bytes_.data());
  });
}

std::string MasterKey::fingerprint() const {
  std::string out(kFingerprintBytes, '\0');
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                             kFingerprint.id, kFingerprint.context, bytes_.data());
  return out;
}

}  // namespace tessera::crypto
