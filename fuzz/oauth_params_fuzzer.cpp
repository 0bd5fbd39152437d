// Fuzzes percent-decoding and the body of the token, introspection and
// revocation requests (http/percent_decode, http/oauth_params): every input
// is decoded on its own, then sent as a form body and as a JSON body.

#include <algorithm>
#include <string>
#include <vector>

#include "domain/oauth_error.hpp"
#include "domain/text.hpp"
#include "fuzz_check.hpp"
#include "http/oauth_error_writer.hpp"
#include "http/oauth_params.hpp"
#include "http/percent_decode.hpp"

namespace {

using tessera::domain::OAuthError;
using tessera::domain::OAuthErrorCode;
using tessera::http::OAuthParams;
using tessera::http::Request;

// The union of what the three endpoints read (endpoints/token_request_reader.cpp,
// endpoints/introspection_endpoint.cpp); `resource` repeats (RFC 8707).
const std::vector<std::string> kFields = {"grant_type",    "scope",    "audience",
                                          "aud",           "resource", "client_id",
                                          "client_secret", "token",    "token_type_hint"};
const std::vector<std::string> kRepeatable = {"resource"};

void check_percent_decode(std::string_view text) {
  for (const bool plus_is_space : {false, true}) {
    const auto decoded = tessera::http::percent_decode(text, plus_is_space);
    if (!decoded) continue;
    FUZZ_CHECK(decoded->size() <= text.size());
    // Encoding what was decoded, then decoding again, gives it back.
    const auto again =
        tessera::http::percent_decode(tessera::http::percent_encode(*decoded), false);
    FUZZ_CHECK(again && *again == *decoded);
  }
}

void check_pairs(std::string_view text) {
  const auto pieces = static_cast<std::size_t>(std::count(text.begin(), text.end(), '&')) + 1;
  for (const auto& pairs : {tessera::http::parse_form(text), tessera::http::parse_query(text)}) {
    if (!pairs) continue;
    FUZZ_CHECK(pairs->size() <= pieces);
    for (const auto& [name, value] : *pairs) FUZZ_CHECK(name.size() + value.size() <= text.size());
  }
  // The visitor sees exactly what parse_form collects.
  std::vector<std::pair<std::string, std::string>> visited;
  const bool ok = tessera::http::for_each_form_pair(
      text, [&](std::string name, std::string value) { visited.emplace_back(name, value); });
  const auto form = tessera::http::parse_form(text);
  FUZZ_CHECK(ok == form.has_value());
  if (ok) FUZZ_CHECK(visited == *form);
}

Request request_with(const std::string& content_type, std::string_view body) {
  Request request;
  request.method = "POST";
  request.path = "/t/acme/oauth/token";
  request.headers.emplace_back("content-type", content_type);
  request.body = std::string(body);
  return request;
}

// The documented outcome: parameters, or OAuthError invalid_request (400).
// Any other exception escapes and is reported as a crash.
std::optional<OAuthParams> parse(const Request& request) {
  try {
    return tessera::http::parse_oauth_params(request, kFields, kRepeatable);
  } catch (const OAuthError& error) {
    FUZZ_CHECK(error.code() == OAuthErrorCode::invalid_request);
    FUZZ_CHECK(error.status() == 400);
    // The description never passes on what SPEC §6 keeps out.
    FUZZ_CHECK(tessera::domain::is_clean_text(error.what()));
    // Every refusal can be answered: its description is written as JSON.
    FUZZ_CHECK(tessera::http::write_oauth_error(error).status == 400);
    return std::nullopt;
  }
}

void check_params(const OAuthParams& params, std::size_t body_size) {
  FUZZ_CHECK(!params.get("not_a_field"));
  FUZZ_CHECK(params.all("resource").size() <= OAuthParams::kMaxDistinct);
  for (const auto& field : kFields) {
    const auto& values = params.all(field);
    if (field != "resource") FUZZ_CHECK(values.size() <= 1);
    for (const auto& value : values) {
      FUZZ_CHECK(!value.empty());
      FUZZ_CHECK(value.size() <= body_size);
      FUZZ_CHECK(tessera::domain::is_clean_text(value));
    }
  }
}

// What a parsed body holds, written back as a form body, parses to the same.
void check_form_round_trip(const OAuthParams& params) {
  std::string body;
  for (const auto& field : kFields) {
    for (const auto& value : params.all(field)) {
      if (!body.empty()) body += '&';
      body += field + "=" + tessera::http::percent_encode(value);
    }
  }
  const auto again = parse(request_with("application/x-www-form-urlencoded", body));
  FUZZ_CHECK(again.has_value());
  for (const auto& field : kFields) FUZZ_CHECK(again->all(field) == params.all(field));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = tessera::fuzz::text_of(data, size);
  check_percent_decode(text);
  check_pairs(text);
  for (const char* type : {"application/x-www-form-urlencoded", "application/json"}) {
    if (auto params = parse(request_with(type, text))) {
      check_params(*params, text.size());
      check_form_round_trip(*params);
    }
  }
  return 0;
}
