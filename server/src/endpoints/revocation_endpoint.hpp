#pragma once

#include <memory>

#include "domain/token_views.hpp"
#include "endpoints/public_services.hpp"
#include "http/listener.hpp"

namespace tessera::endpoints {

// POST /t/{tenant}/oauth/revoke (RFC 7009, SPEC §3.3): a client revokes its
// own tokens; 200 whether or not the token existed. Writes the token's
// record, so it never runs on a reactor thread.
void handle_revoke(PublicServices& services, std::shared_ptr<const domain::TenantView> tenant,
                   http::Request request, http::Reply reply, Stage stage);

}  // namespace tessera::endpoints
