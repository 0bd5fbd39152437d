// The tenant and client an admin answer concerns, for the request's log line
// (http::Response's log_tenant and log_client_id are never sent). Every
// admin handler tags its answer through these.
#pragma once

#include <utility>

#include "domain/models.hpp"
#include "http/response.hpp"

namespace tessera::admin {

inline http::Response with_log_tags(http::Response response, const domain::Tenant& tenant) {
  response.log_tenant = tenant.slug;
  return response;
}

inline http::Response with_log_tags(http::Response response, const domain::Tenant& tenant,
                                    const domain::ClientId& client) {
  response.log_client_id = client.value;
  return with_log_tags(std::move(response), tenant);
}

}  // namespace tessera::admin
