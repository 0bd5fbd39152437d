#include "http/descriptor_owners.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace tessera::http {

namespace {
constexpr std::size_t kMaxCapacity = std::size_t{1} << 18;
constexpr std::size_t kFallbackCapacity = 1024;
}  // namespace

DescriptorOwners::DescriptorOwners(std::size_t capacity)
    : capacity_(capacity), owners_(new std::atomic<std::uint64_t>[capacity]()) {}

std::size_t DescriptorOwners::default_capacity() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return kFallbackCapacity;
  if (limit.rlim_cur == RLIM_INFINITY) return kMaxCapacity;
  return std::min(static_cast<std::size_t>(limit.rlim_cur), kMaxCapacity);
}

std::uint64_t DescriptorOwners::claim(int fd) {
  const auto serial = last_serial_.fetch_add(1, std::memory_order_relaxed) + 1;
  if (fd >= 0 && static_cast<std::size_t>(fd) < capacity_) {
    owners_[static_cast<std::size_t>(fd)].store(serial, std::memory_order_release);
  }
  return serial;
}

bool DescriptorOwners::reused(int fd, std::uint64_t serial) const {
  if (fd < 0 || static_cast<std::size_t>(fd) >= capacity_) return false;
  // Serials only grow, and a number is claimed again only once closed: any
  // other owner than `serial` is a newer connection.
  return owners_[static_cast<std::size_t>(fd)].load(std::memory_order_acquire) != serial;
}

}  // namespace tessera::http
