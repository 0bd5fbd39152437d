#pragma once

#include <memory>

#include "domain/token_views.hpp"
#include "endpoints/public_services.hpp"
#include "http/listener.hpp"

namespace tessera::endpoints {

// POST /t/{tenant}/oauth/token (RFC 6749 §4.4, SPEC §3.1), once routing has
// found the tenant. On a reactor thread it answers from cached data;
// anything that needs the database moves the request to a worker, an
// imported secret to the Argon2id pool (`stage` says where it runs). The
// 200 is sent only after the token's record committed.
void handle_token(PublicServices& services, std::shared_ptr<const domain::TenantView> tenant,
                  http::Request request, http::Reply reply, Stage stage);

}  // namespace tessera::endpoints
