#pragma once

#include "admin/admin_call.hpp"

namespace tessera::admin {

// One function per admin operation (SPEC §4), grouped in one file per resource.

// tenants.cpp
http::Response create_tenant(AdminCall& call);
http::Response list_tenants(AdminCall& call);
http::Response get_tenant(AdminCall& call);
http::Response patch_tenant(AdminCall& call);
http::Response delete_tenant(AdminCall& call);

// apis.cpp
http::Response create_api(AdminCall& call);
http::Response list_apis(AdminCall& call);
http::Response get_api(AdminCall& call);
http::Response patch_api(AdminCall& call);
http::Response delete_api(AdminCall& call);

// clients.cpp
http::Response create_client(AdminCall& call);
http::Response list_clients(AdminCall& call);
http::Response get_client(AdminCall& call);
http::Response patch_client(AdminCall& call);
http::Response delete_client(AdminCall& call);

// grants.cpp
http::Response list_grants(AdminCall& call);
http::Response put_grant(AdminCall& call);
http::Response delete_grant(AdminCall& call);

}  // namespace tessera::admin
