// Fuzzes admin input (admin/body_reader, admin/input_text): each input is
// an admin request's JSON body, read field by field as the handlers read
// it, and a query string and path segment checked for clean text. The only
// error allowed out is AdminError, and every one of them must answer.

#include <functional>
#include <string>

#include "admin/admin_error.hpp"
#include "admin/body_reader.hpp"
#include "admin/input_text.hpp"
#include "domain/text.hpp"
#include "domain/validation.hpp"
#include "fuzz_check.hpp"
#include "http/percent_decode.hpp"

namespace {

using tessera::admin::AdminError;
using tessera::admin::AdminErrorCode;
using tessera::admin::BodyReader;

// Runs one read; an AdminError is an answer (400 invalid_request), anything
// else escapes and is reported as a crash.
bool answers(const std::function<void()>& read) {
  try {
    read();
    return true;
  } catch (const AdminError& error) {
    FUZZ_CHECK(error.code() == AdminErrorCode::invalid_request);
    // The message never quotes text that is not clean (docs/api.md, "Text").
    FUZZ_CHECK(tessera::domain::is_clean_text(error.what()));
    FUZZ_CHECK(tessera::domain::is_clean_text(error.field()));
    const auto response = tessera::admin::write_admin_error(error);
    FUZZ_CHECK(response.status == 400 && !response.body.empty());
    return false;
  }
}

void check_body(std::string_view text) {
  tessera::http::Request request;
  request.method = "POST";
  request.body = std::string(text);
  std::optional<BodyReader> body;
  if (!answers([&] { body.emplace(request); })) return;

  // The fields the handlers read (admin/*.cpp), each in its own try.
  answers([&] {
    const auto name = body->required_name();
    FUZZ_CHECK(tessera::domain::is_valid_name(name));
  });
  for (const char* field :
       {"slug", "identifier", "status", "tenant", "client_id", "client_secret"}) {
    answers([&] {
      if (const auto value = body->optional_string(field)) {
        FUZZ_CHECK(tessera::domain::is_clean_text(*value));
      }
    });
  }
  for (const char* field : {"can_introspect", "is_default"}) {
    answers([&] { (void)body->optional_bool(field); });
  }
  for (const char* field : {"token_ttl", "default_token_ttl"}) {
    answers([&] {
      const auto ttl = body->optional_ttl(field);
      if (ttl && *ttl) FUZZ_CHECK(tessera::domain::is_valid_ttl(**ttl));
    });
  }
  answers([&] { (void)body->optional_token_format("token_format"); });
  answers([&] {
    const auto grace = body->optional_integer("grace_seconds", 0, tessera::domain::kMaxTtl);
    if (grace) FUZZ_CHECK(*grace >= 0 && *grace <= tessera::domain::kMaxTtl);
  });
  for (const char* field : {"scopes", "domains", "api"}) (void)body->take(field);
  answers([&] { body->finish(); });
}

void check_parameters(std::string_view text) {
  tessera::http::Request request;
  const auto query = tessera::http::parse_query(text);
  if (query) request.query = *query;
  if (const auto segment = tessera::http::percent_decode(text, false))
    request.params["t"] = *segment;
  bool clean = true;
  for (const auto& [name, value] : request.query) {
    clean = clean && tessera::domain::is_clean_text(name) && tessera::domain::is_clean_text(value);
  }
  for (const auto& [name, value] : request.params) {
    clean = clean && tessera::domain::is_clean_text(value);
  }
  const auto error = tessera::admin::unclean_parameter(request);
  FUZZ_CHECK(error.has_value() != clean);
  if (error) FUZZ_CHECK(tessera::admin::write_admin_error(*error).status == 400);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = tessera::fuzz::text_of(data, size);
  check_body(text);
  check_parameters(text);
  return 0;
}
