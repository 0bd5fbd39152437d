#include "crypto/sealed.hpp"

#include <sodium.h>

#include "crypto/random.hpp"

namespace tessera::crypto {
namespace {
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
}  // namespace

std::string seal(const SubKey& key, std::string_view plaintext, std::string_view associated) {
  std::string out = random_bytes(kNonce);
  out.resize(kNonce + plaintext.size() + kTag);
  unsigned long long length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data()) + kNonce, &length, bytes(plaintext),
      plaintext.size(), bytes(associated), associated.size(), nullptr, bytes(out), key.data());
  out.resize(kNonce + length);
  return out;
}

std::optional<std::string> open_sealed(const SubKey& key, std::string_view sealed,
                                       std::string_view associated) {
  if (sealed.size() < kNonce + kTag) return std::nullopt;
  std::string out(sealed.size() - kNonce - kTag, '\0');
  if (!open_sealed_into(key, sealed, associated, reinterpret_cast<unsigned char*>(out.data()),
                        out.size())) {
    return std::nullopt;
  }
  return out;
}

bool open_sealed_into(const SubKey& key, std::string_view sealed, std::string_view associated,
                      unsigned char* out, std::size_t size) {
  if (sealed.size() != kNonce + size + kTag) {
    sodium_memzero(out, size);
    return false;
  }
  // libsodium checks the tag before it decrypts, and zeroes `out` when the
  // tag is wrong.
  unsigned long long length = 0;
  return crypto_aead_xchacha20poly1305_ietf_decrypt(
             out, &length, nullptr, bytes(sealed.substr(kNonce)), sealed.size() - kNonce,
             bytes(associated), associated.size(), bytes(sealed), key.data()) == 0;
}

}  // namespace tessera::crypto
