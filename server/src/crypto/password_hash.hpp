#pragma once

#include <string>
#include <string_view>

namespace tessera::crypto {

// Argon2id (crypto_pwhash_str, interactive limits) for secrets chosen by a
// person (imported client secrets). Each call takes tens of milliseconds and
// tens of MiB, so at most a few run at once in the process; the others wait.
std::string password_hash(std::string_view secret);
bool password_verify(const std::string& stored, std::string_view secret);

}  // namespace tessera::crypto
