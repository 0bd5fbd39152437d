#pragma once

#include <string>
#include <string_view>

#include "crypto/master_key.hpp"

namespace tessera::crypto {

// 32-byte keyed BLAKE2b (crypto_generichash) of a high-entropy value: a
// generated client secret, an admin key or an opaque token. Those are too
// random to guess, so a slow password hash would only slow every request.
std::string keyed_hash(const SubKey& key, std::string_view value);

// The one place secrets and hashes are compared: constant time
// (sodium_memcmp); different lengths compare unequal.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace tessera::crypto
