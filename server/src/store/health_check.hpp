#pragma once

namespace tessera::store {

// /readyz: can the database answer right now?
class HealthCheck {
 public:
  virtual ~HealthCheck() = default;
  virtual bool database_reachable() = 0;
};

}  // namespace tessera::store
