#include "crypto/guarded_key.hpp"

#include <sodium.h>
#include <unistd.h>

#include <new>
#include <stdexcept>

namespace tessera::crypto {
namespace detail {

std::shared_ptr<const unsigned char> guarded_region(
    std::size_t size, const std::function<void(unsigned char* out)>& write) {
  // sodium_malloc needs the page size that sodium_init records; calling it
  // again is cheap and safe from any thread, and tests need no set-up.
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  auto* bytes = static_cast<unsigned char*>(sodium_malloc(size));
  if (bytes == nullptr) throw std::bad_alloc();
  // sodium_free makes the region writable again, zeroes it and unmaps it.
  std::shared_ptr<unsigned char> region(bytes, [](unsigned char* p) { sodium_free(p); });
  write(bytes);
  if (sodium_mprotect_readonly(bytes) != 0) {
    throw std::runtime_error("cannot make a key's memory read-only");
  }
  return region;
}

bool guarded_equal(const unsigned char* a, const unsigned char* b, std::size_t size) {
  return sodium_memcmp(a, b, size) == 0;
}

}  // namespace detail

std::size_t guarded_footprint(std::size_t size) {
  // libsodium's layout (utils.c, _sodium_malloc): a page holding the
  // region's size, a guard page, the region with its 16-byte canary rounded
  // up to whole pages, and a guard page.
  constexpr std::size_t kCanary = 16;
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return 3 * page + (size + kCanary + page - 1) / page * page;
}

}  // namespace tessera::crypto
