#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace tessera::http {

// Which connection of a listener was last given each descriptor number,
// by connection serial (1, 2, … in the order they were accepted). Pistache
// 0.0.5 queues writes by descriptor number, so an answer for a closed
// connection whose number a newer connection now holds is one that could
// have reached the wrong client; the answering thread asks here to count
// those apart. Lock-free: claimed on a reactor thread, read from any.
class DescriptorOwners {
 public:
  // Numbers at or above `capacity` are not tracked (never reported reused).
  explicit DescriptorOwners(std::size_t capacity);

  // The open-file limit (RLIMIT_NOFILE), capped so that the table stays
  // small (8 bytes a number; 2 MiB at the cap).
  static std::size_t default_capacity();

  // A new connection got `fd`: returns its serial.
  std::uint64_t claim(int fd);
  // Whether a connection newer than `serial` has been given `fd` since.
  bool reused(int fd, std::uint64_t serial) const;

 private:
  std::size_t capacity_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> owners_;
  std::atomic<std::uint64_t> last_serial_{0};
};

}  // namespace tessera::http
