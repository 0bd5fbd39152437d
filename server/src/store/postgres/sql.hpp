#pragma once

// Every SQL statement Tessera runs, as named constants with positional
// parameters ($1, $2, …), one header per store. Nothing builds SQL from input.
#include "store/postgres/sql/admin_keys.hpp"
#include "store/postgres/sql/apis.hpp"
#include "store/postgres/sql/audit.hpp"
#include "store/postgres/sql/client_credentials.hpp"
#include "store/postgres/sql/client_keys.hpp"
#include "store/postgres/sql/clients.hpp"
#include "store/postgres/sql/lifecycle.hpp"
#include "store/postgres/sql/master_keys.hpp"
#include "store/postgres/sql/migrations.hpp"
#include "store/postgres/sql/revocation_epoch.hpp"
#include "store/postgres/sql/signing_keys.hpp"
#include "store/postgres/sql/tenants.hpp"
