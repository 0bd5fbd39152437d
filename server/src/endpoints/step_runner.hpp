#pragma once

#include <memory>

#include "domain/oauth_error.hpp"
#include "endpoints/exchange.hpp"
#include "endpoints/outcome.hpp"
#include "endpoints/public_services.hpp"
#include "http/listener.hpp"

namespace tessera::endpoints {

// Runs one step. The one place where an error becomes an answer:
// domain::OAuthError as it says (a 401 with the exchange's challenge),
// store::Unavailable 503 temporarily_unavailable, anything else 500 (the
// cause logged, never the request).
Outcome attempt(PublicServices& services, Exchange& exchange, const Step& step);

// Runs `step` and carries out what it comes to: answers through `reply`;
// moves the rest to the pool of its stage (503 with Retry-After when that
// pool is full or the wait too long, SPEC §6); records an issued token
// before answering it.
void run(PublicServices& services, std::shared_ptr<Exchange> exchange, const Step& step,
         const http::Reply& reply);

// The answer to an OAuth error in this exchange.
http::Response refusal(const Exchange& exchange, const domain::OAuthError& error);

}  // namespace tessera::endpoints
