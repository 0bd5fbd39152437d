#pragma once

#include "domain/types.hpp"

namespace tessera::crypto {

// The JWS algorithms keys are made for: the domain's (domain/types.hpp),
// where tenants and APIs name them.
using domain::SigningAlg;

}  // namespace tessera::crypto
