#pragma once

#include <string>

namespace tessera::test {

// TESSERA_TEST_DATABASE_URL: a superuser connection to a throwaway cluster
// (scripts/test starts one). Missing: the test fails, it is never skipped.
std::string admin_database_url();

// The same server, another database.
std::string database_url_for(const std::string& database);

// Where tessera lives: TESSERA_TEST_BIN_DIR, else the build's bin/.
std::string bin_dir();

// A base64url master key for test servers (fixed, so runs are reproducible).
std::string test_master_key();

}  // namespace tessera::test
