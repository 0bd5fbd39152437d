#include "crypto/guarded_key.hpp"

#include <sodium.h>

#include <new>
#include <stdexcept>

namespace tessera::crypto {

GuardedKey GuardedKey::make(const std::function<void(unsigned char* out)>& write) {
  // sodium_malloc needs the page size that sodium_init records; calling it
  // again is cheap and safe from any thread, and tests need no set-up.
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  auto* bytes = static_cast<unsigned char*>(sodium_malloc(kSize));
  if (bytes == nullptr) throw std::bad_alloc();
  // sodium_free makes the region writable again, zeroes it and unmaps it.
  std::shared_ptr<unsigned char> region(bytes, [](unsigned char* p) { sodium_free(p); });
  write(bytes);
  if (sodium_mprotect_readonly(bytes) != 0) {
    throw std::runtime_error("cannot make a key's memory read-only");
  }
  return GuardedKey(std::move(region));
}

bool operator==(const GuardedKey& a, const GuardedKey& b) {
  return sodium_memcmp(a.data(), b.data(), GuardedKey::kSize) == 0;
}

}  // namespace tessera::crypto
