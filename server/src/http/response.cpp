#include "http/response.hpp"

namespace tessera::http {

Response json_response(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  // Replace, not throw, on invalid UTF-8: stored strings came through
  // validated input, but an answer must never abort.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response empty_response(int status) {
  Response response;
  response.status = status;
  response.content_type.clear();
  return response;
}

}  // namespace tessera::http
