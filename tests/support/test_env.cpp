#include "support/test_env.hpp"

#include <cstdlib>
#include <stdexcept>

namespace tessera::test {

std::string admin_database_url() {
  const char* url = std::getenv("TESSERA_TEST_DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "TESSERA_TEST_DATABASE_URL is not set: run the suites with scripts/test");
  }
  return url;
}

std::string database_url_for(const std::string& database) {
  std::string url = admin_database_url();
  const auto query = url.find('?');
  std::string suffix = query == std::string::npos ? "" : url.substr(query);
  url = url.substr(0, query);
  const auto slash = url.rfind('/');
  if (slash == std::string::npos || slash < url.find("//") + 2) {
    throw std::runtime_error(
        "TESSERA_TEST_DATABASE_URL must be a postgresql:// URL with a database");
  }
  return url.substr(0, slash + 1) + database + suffix;
}

std::string bin_dir() {
  const char* dir = std::getenv("TESSERA_TEST_BIN_DIR");
  if (dir != nullptr && *dir != '\0') return dir;
  return TESSERA_DEFAULT_BIN_DIR;
}

std::string test_master_key() {
  return "dGVzc2VyYS10ZXN0LW1hc3Rlci1rZXktMzItYnl0ZXM";
}

}  // namespace tessera::test
