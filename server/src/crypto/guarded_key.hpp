#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace tessera::crypto {

namespace detail {
// A new sodium_malloc region of `size` bytes, filled by `write`, then made
// read-only; sodium_free'd (zeroed, then unmapped) with its last owner.
std::shared_ptr<const unsigned char> guarded_region(
    std::size_t size, const std::function<void(unsigned char* out)>& write);
bool guarded_equal(const unsigned char* a, const unsigned char* b, std::size_t size);
}  // namespace detail

// N bytes of key material in libsodium's guarded memory (sodium_malloc):
// guard pages on both sides and a canary, so an overread or overwrite
// crashes instead of leaking or corrupting the key; locked in RAM and left
// out of core files (sodium_mlock: mlock, MADV_DONTDUMP); read-only once
// written; zeroed when freed. Copies share one region, so a key handed to
// several services, or held by several threads, exists once in memory; the
// last copy frees it. sodium_malloc costs a few pages per key
// (guarded_footprint): for long-lived keys, not for per-request secrets.
template <std::size_t N>
class GuardedBytes {
 public:
  static constexpr std::size_t kSize = N;

  // Lets `write` fill the kSize bytes of a new region, then makes it read-only.
  static GuardedBytes make(const std::function<void(unsigned char* out)>& write) {
    return GuardedBytes(detail::guarded_region(kSize, write));
  }

  const unsigned char* data() const { return region_.get(); }
  static constexpr std::size_t size() { return kSize; }

  // Constant time (sodium_memcmp).
  friend bool operator==(const GuardedBytes& a, const GuardedBytes& b) {
    return detail::guarded_equal(a.data(), b.data(), kSize);
  }
  friend bool operator!=(const GuardedBytes& a, const GuardedBytes& b) { return !(a == b); }

 private:
  explicit GuardedBytes(std::shared_ptr<const unsigned char> region) : region_(std::move(region)) {}
  std::shared_ptr<const unsigned char> region_;
};

// The master key and its sub-keys.
using GuardedKey = GuardedBytes<32>;

// The memory one region of `size` bytes maps: for a key, four pages (the
// region's, a guard page on each side and one for libsodium's bookkeeping),
// two of them resident, in four memory mappings.
std::size_t guarded_footprint(std::size_t size);

}  // namespace tessera::crypto
