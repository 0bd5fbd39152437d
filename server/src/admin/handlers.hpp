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

// secrets.cpp
http::Response list_secrets(AdminCall& call);
http::Response rotate_secret(AdminCall& call);
http::Response revoke_secret(AdminCall& call);

// client_keys.cpp
http::Response list_client_keys(AdminCall& call);
http::Response add_client_key(AdminCall& call);
http::Response remove_client_key(AdminCall& call);

// tokens.cpp
http::Response list_tokens(AdminCall& call);
http::Response get_token(AdminCall& call);
http::Response revoke_token(AdminCall& call);
http::Response revoke_tokens(AdminCall& call);

// signing_keys.cpp
http::Response list_signing_keys(AdminCall& call);
http::Response rotate_signing_keys(AdminCall& call);

// audit_events.cpp
http::Response list_audit_events(AdminCall& call);

// admin_keys.cpp
http::Response create_admin_key(AdminCall& call);
http::Response list_admin_keys(AdminCall& call);
http::Response delete_admin_key(AdminCall& call);

}  // namespace tessera::admin
