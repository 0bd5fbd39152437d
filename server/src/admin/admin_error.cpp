#include "admin/admin_error.hpp"

namespace tessera::admin {

const char* to_string(AdminErrorCode code) {
  switch (code) {
    case AdminErrorCode::not_found:
      return "not_found";
    case AdminErrorCode::invalid_request:
      return "invalid_request";
    case AdminErrorCode::conflict:
      return "conflict";
    case AdminErrorCode::unauthorized:
      return "unauthorized";
    case AdminErrorCode::forbidden:
      return "forbidden";
    case AdminErrorCode::method_not_allowed:
      return "method_not_allowed";
    case AdminErrorCode::too_many_requests:
      return "too_many_requests";
    case AdminErrorCode::temporarily_unavailable:
      return "temporarily_unavailable";
    case AdminErrorCode::internal_error:
      return "internal_error";
  }
  return "internal_error";
}

int status_of(AdminErrorCode code) {
  switch (code) {
    case AdminErrorCode::not_found:
      return 404;
    case AdminErrorCode::invalid_request:
      return 400;
    case AdminErrorCode::conflict:
      return 409;
    case AdminErrorCode::unauthorized:
      return 401;
    case AdminErrorCode::forbidden:
      return 403;
    case AdminErrorCode::method_not_allowed:
      return 405;
    case AdminErrorCode::too_many_requests:
      return 429;
    case AdminErrorCode::temporarily_unavailable:
      return 503;
    case AdminErrorCode::internal_error:
      return 500;
  }
  return 500;
}

http::Response write_admin_error(const AdminError& error) {
  nlohmann::json body = {{"error", to_string(error.code())}, {"message", error.what()}};
  if (!error.field().empty()) body["field"] = error.field();
  auto response = http::json_response(status_of(error.code()), body);
  if (error.code() == AdminErrorCode::unauthorized) {
    response.with_header("WWW-Authenticate", "Bearer realm=\"tessera-admin\"");
  }
  // A 503 is passing (a full queue, a database away): say when to come back.
  if (error.code() == AdminErrorCode::temporarily_unavailable) {
    response.with_header("Retry-After", std::to_string(http::kRetryAfterSeconds));
  }
  return response;
}

AdminError invalid_field(const std::string& field, const std::string& rule) {
  return AdminError(AdminErrorCode::invalid_request, field + ": " + rule, field);
}

}  // namespace tessera::admin
