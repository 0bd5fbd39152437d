#pragma once

#include <atomic>

#include "http/listener.hpp"
#include "store/database_state.hpp"

namespace tessera::endpoints {

// What /readyz reports: ready while the database answers, and never again
// once SIGTERM has begun a shutdown (SPEC §6), so that load balancers take
// the instance out while it still serves. Read without I/O or locks.
class Readiness {
 public:
  explicit Readiness(const store::DatabaseState& database) : database_(database) {}
  // SIGTERM: /readyz answers 503 from now on, on every listener.
  void begin_shutdown() { shutting_down_.store(true, std::memory_order_relaxed); }
  bool ready() const {
    return !shutting_down_.load(std::memory_order_relaxed) && database_.reachable();
  }

 private:
  const store::DatabaseState& database_;
  std::atomic<bool> shutting_down_{false};
};

// GET /healthz: answered inline from memory, no I/O and no locks; it
// measures the HTTP stack (SPEC §6).
http::Response healthz();

// GET /readyz: 200 while ready, else 503; answered inline from the state the
// database probe, every pooled call and the shutdown keep.
http::Response readyz(const Readiness& readiness);

}  // namespace tessera::endpoints
