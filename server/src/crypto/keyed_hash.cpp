#include "crypto/keyed_hash.hpp"

#include <sodium.h>

namespace tessera::crypto {

std::string keyed_hash(const SubKey& key, std::string_view value) {
  std::string out(32, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(value.data()), value.size(), key.data(),
                     key.size());
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tessera::crypto
