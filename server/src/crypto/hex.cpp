#include "crypto/hex.hpp"

#include <sodium.h>

namespace tessera::crypto {

void append_hex(std::string& out, std::string_view bytes) {
  const std::size_t at = out.size();
  // sodium_bin2hex writes a terminating NUL too: room for it, then drop it.
  out.resize(at + bytes.size() * 2 + 1);
  sodium_bin2hex(out.data() + at, bytes.size() * 2 + 1,
                 reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  out.pop_back();
}

std::string to_hex(std::string_view bytes) {
  std::string out;
  append_hex(out, bytes);
  return out;
}

}  // namespace tessera::crypto
