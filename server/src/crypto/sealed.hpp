#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/master_key.hpp"

namespace tessera::crypto {

// XChaCha20-Poly1305 (IETF AEAD) with a random 24-byte nonce prepended to the
// ciphertext. `associated` binds the sealed value to its owner (for signing
// keys: tenant id and kid), so a sealed key copied to another row won't open.
std::string seal(const SubKey& key, std::string_view plaintext, std::string_view associated);

// nullopt when the value was tampered with or the associated data differs.
std::optional<std::string> open_sealed(const SubKey& key, std::string_view sealed,
                                       std::string_view associated);

// Opens a sealed value of exactly `size` bytes straight into `out` (guarded
// memory, say), so that no other copy of it is ever made. False, with `out`
// zeroed, when it does not open or is not `size` bytes long.
bool open_sealed_into(const SubKey& key, std::string_view sealed, std::string_view associated,
                      unsigned char* out, std::size_t size);

}  // namespace tessera::crypto
