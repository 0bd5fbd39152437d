#pragma once

#include <libpq-fe.h>

#include <string>

namespace tessera::store::postgres {

// libpq's last error on `connection`, without its trailing newlines (it
// goes into one log field or exception message).
inline std::string error_of(PGconn* connection) {
  std::string text = PQerrorMessage(connection);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace tessera::store::postgres
