#pragma once

#include <string>

#include "domain/types.hpp"

namespace tessera::cache {

// Told about every committed admin change that the token path caches, so the
// next request sees it (SPEC §4: at once on the instance that made it).
class Invalidation {
 public:
  virtual ~Invalidation() = default;
  // The tenant, its domains or its APIs changed (also drops its clients).
  virtual void tenant_changed(domain::TenantId tenant) = 0;
  // The client, its secrets or its grants changed.
  virtual void client_changed(domain::TenantId tenant, const std::string& client_id) = 0;
  // A tenant or domain appeared: forget remembered misses.
  virtual void tenants_added() = 0;
};

}  // namespace tessera::cache
