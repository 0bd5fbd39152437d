#pragma once

#include <cstddef>
#include <string>

#include "domain/token_views.hpp"
#include "store/token_status_store.hpp"

namespace tessera::cache {

// Approximate heap bytes a cache spends on one entry, for the byte budgets
// of the caches: the objects themselves, what their strings and vectors
// hold, the guarded pages of an open signing key, and a fixed charge for
// the hash-table node and the shared_ptr control block. Estimates, not allocator truth; good enough
// to bound memory by what a peer can make us remember.
constexpr std::size_t kEntryOverhead = 96;

std::size_t footprint(const std::string& text);
std::size_t footprint(const domain::TenantView& tenant);
std::size_t footprint(const domain::ClientView& client);
std::size_t footprint(const store::TokenStatus& status);

}  // namespace tessera::cache
