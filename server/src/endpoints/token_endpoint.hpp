#pragma once

#include <memory>

#include "domain/token_views.hpp"
#include "endpoints/public_services.hpp"
#include "http/listener.hpp"

namespace tessera::endpoints {

// POST /t/{tenant}/oauth/token (RFC 6749 §4.4, SPEC §3.1), once routing has
// found the tenant. On a reactor thread (`on_worker` false) it answers from
// cached data; anything that needs the database or Argon2id moves the
// request to a worker. The 200 is sent only after the token's record
// committed.
void handle_token(PublicServices& services, std::shared_ptr<const domain::TenantView> tenant,
                  http::Request request, http::Reply reply, bool on_worker);

}  // namespace tessera::endpoints
