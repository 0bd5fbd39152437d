#pragma once

#include <chrono>

#include "domain/types.hpp"

namespace tessera::domain {

// The time as the server sees it. Endpoints read it once per request, when
// the request arrives; tests hand them a clock they move.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace tessera::domain
