#include "crypto/random.hpp"

#include <sodium.h>

#include "crypto/base64url.hpp"

namespace tessera::crypto {

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string random_token(std::size_t bytes) {
  return base64url_encode(random_bytes(bytes));
}

}  // namespace tessera::crypto
