#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace tessera::crypto {

// 32 bytes of key material in libsodium's guarded memory (sodium_malloc):
// guard pages on both sides and a canary, so an overread or overwrite
// crashes instead of leaking or corrupting the key; locked in RAM and left
// out of core files (sodium_mlock: mlock, MADV_DONTDUMP); read-only once
// written; zeroed when freed. Copies share one region, so a key handed to
// several services exists once in memory; the last copy frees it.
// sodium_malloc costs a few pages per key: for the handful of long-lived
// keys, not for per-request secrets.
class GuardedKey {
 public:
  static constexpr std::size_t kSize = 32;

  // Lets `write` fill the kSize bytes of a new region, then makes it read-only.
  static GuardedKey make(const std::function<void(unsigned char* out)>& write);

  const unsigned char* data() const { return region_.get(); }
  static constexpr std::size_t size() { return kSize; }

  // Constant time (sodium_memcmp).
  friend bool operator==(const GuardedKey& a, const GuardedKey& b);
  friend bool operator!=(const GuardedKey& a, const GuardedKey& b) { return !(a == b); }

 private:
  explicit GuardedKey(std::shared_ptr<const unsigned char> region) : region_(std::move(region)) {}
  std::shared_ptr<const unsigned char> region_;
};

}  // namespace tessera::crypto
