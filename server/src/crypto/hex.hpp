#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tessera::crypto {

// Appends `bytes` as lower-case hexadecimal to `out` (libsodium's
// sodium_bin2hex: constant time, so also fit for secret bytes).
void append_hex(std::string& out, std::string_view bytes);

// `bytes` as lower-case hexadecimal.
std::string to_hex(std::string_view bytes);

}  // namespace tessera::crypto
