#pragma once

#include "store/health_check.hpp"
#include "store/postgres/pool.hpp"

namespace tessera::store::postgres {

class PoolHealthCheck : public HealthCheck {
 public:
  explicit PoolHealthCheck(Pool& pool) : pool_(pool) {}
  bool database_reachable() override;

 private:
  Pool& pool_;
};

}  // namespace tessera::store::postgres
