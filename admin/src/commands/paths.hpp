// Admin API paths (SPEC §4) with every caller-given segment percent-encoded.
#pragma once

#include <string>

#include "http/url.hpp"

namespace tessctl {

inline std::string tenant_path(const std::string& tenant) {
  return "/tenants/" + percent_encode(tenant);
}

// `api` is an API's numeric id or its identifier; the server tries the id
// first, then the (percent-decoded) identifier.
inline std::string api_path(const std::string& tenant, const std::string& api) {
  return tenant_path(tenant) + "/apis/" + percent_encode(api);
}

inline std::string client_path(const std::string& tenant, const std::string& client_id) {
  return tenant_path(tenant) + "/clients/" + percent_encode(client_id);
}

}  // namespace tessctl
