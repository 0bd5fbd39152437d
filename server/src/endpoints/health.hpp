#pragma once

#include "http/listener.hpp"
#include "store/database_state.hpp"

namespace tessera::endpoints {

// GET /healthz: answered inline from memory, no I/O and no locks; it
// measures the HTTP stack (SPEC §6).
http::Response healthz();

// GET /readyz: 200 while the database answers, else 503; answered inline
// from the state the database probe and every pooled call keep.
http::Response readyz(const store::DatabaseState& database);

}  // namespace tessera::endpoints
