#include "support/test_database.hpp"

#include <pqxx/pqxx>

#include "crypto/random.hpp"
#include "store/postgres/migrator.hpp"
#include "support/test_env.hpp"

namespace tessera::test {

TestDatabase::TestDatabase(bool migrate) {
  std::string suffix;
  for (unsigned char c : crypto::random_bytes(6)) suffix += "0123456789abcdef"[c % 16];
  name_ = "tessera_test_" + suffix;
  url_ = database_url_for(name_);
  {
    pqxx::connection admin(admin_database_url());
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + tx.quote_name(name_));
  }
  if (migrate) {
    pqxx::connection connection(url_);
    store::postgres::Migrator(connection, store::postgres::embedded_migrations()).apply();
  }
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(admin_database_url());
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  } catch (...) {
    // The cluster is thrown away after the run anyway.
  }
}

std::string TestDatabase::query_value(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::nontransaction tx(connection);
  auto rows = tx.exec(sql);
  if (rows.empty() || rows[0].empty() || rows[0][0].is_null()) return "";
  return rows[0][0].as<std::string>();
}

void TestDatabase::execute(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::nontransaction tx(connection);
  tx.exec(sql);
}

}  // namespace tessera::test
