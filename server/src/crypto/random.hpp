#pragma once

#include <cstddef>
#include <string>

namespace tessera::crypto {

// `count` bytes from the operating system's CSPRNG (libsodium randombytes).
std::string random_bytes(std::size_t count);

// base64url of `bytes` random bytes: [A-Za-z0-9_-] only.
std::string random_token(std::size_t bytes);

}  // namespace tessera::crypto
