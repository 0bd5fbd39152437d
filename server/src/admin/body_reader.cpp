#include "admin/body_reader.hpp"

#include "admin/admin_error.hpp"
#include "admin/input_text.hpp"
#include "domain/custom_claims.hpp"
#include "domain/validation.hpp"
#include "http/json_body.hpp"

namespace tessera::admin {

BodyReader::BodyReader(const http::Request& request) {
  // nlohmann-json 3.11 takes a NUL byte for the end of its input, so
  // `{"name":"x"}\0…` would parse; JSON has no place for a raw NUL (SPEC §6).
  if (request.body.find('\0') != std::string::npos) {
    throw AdminError(AdminErrorCode::invalid_request, "the body must not contain a NUL byte");
  }
  // Admin bodies are always JSON, whatever Content-Type says: `curl -d`
  // sends form-urlencoded by default, and refusing that helps nobody.
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    body_ = nlohmann::json::object();
    return;
  }
  std::string error;
  auto parsed = http::parse_json_strict(request.body, error);
  if (!parsed) throw AdminError(AdminErrorCode::invalid_request, error);
  if (!parsed->is_object()) {
    throw AdminError(AdminErrorCode::invalid_request, "the body must be a JSON object");
  }
  // The parser already refuses raw invalid UTF-8 and raw control characters
  // in strings, but escapes such as \u0000 and \u001b pass it.
  if (auto unclean = unclean_json_text(*parsed)) throw *unclean;
  body_ = std::move(*parsed);
}

bool BodyReader::has(const std::string& field) const {
  return body_.contains(field);
}

const nlohmann::json* BodyReader::take(const std::string& field) {
  read_.insert(field);
  auto it = body_.find(field);
  return it == body_.end() ? nullptr : &*it;
}

const nlohmann::json& BodyReader::take_all() {
  for (const auto& [key, value] : body_.items()) read_.insert(key);
  return body_;
}

std::string BodyReader::required_string(const std::string& field) {
  auto value = optional_string(field);
  if (!value) throw invalid_field(field, "is required");
  return *value;
}

std::string BodyReader::required_name() {
  auto name = required_string("name");
  if (!domain::is_valid_name(name)) throw invalid_field("name", domain::kNameRule);
  return name;
}

std::optional<std::string> BodyReader::optional_string(const std::string& field) {
  const auto* value = take(field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) throw invalid_field(field, "must be a string");
  return value->get<std::string>();
}

std::optional<bool> BodyReader::optional_bool(const std::string& field) {
  const auto* value = take(field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) throw invalid_field(field, "must be true or false");
  return value->get<bool>();
}

std::optional<nlohmann::json> BodyReader::optional_claims(const std::string& field) {
  const auto* value = take(field);
  if (value == nullptr) return std::nullopt;
  if (auto why = domain::why_not_custom_claims(*value)) throw invalid_field(field, *why);
  return *value;
}

std::optional<std::int64_t> BodyReader::optional_integer(const std::string& field, std::int64_t min,
                                                         std::int64_t max) {
  const auto* value = take(field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer()) throw invalid_field(field, "must be a whole number");
  const auto n = value->get<std::int64_t>();
  if (value->is_number_unsigned() &&
      value->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    throw invalid_field(field,
                        "must be from " + std::to_string(min) + " to " + std::to_string(max));
  }
  if (n < min || n > max) {
    throw invalid_field(field,
                        "must be from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return n;
}

std::optional<std::optional<int>> BodyReader::optional_ttl(const std::string& field) {
  const auto* value = take(field);
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) return std::optional<int>();
  if (!value->is_number_integer() ||
      (value->is_number_unsigned() && value->get<std::uint64_t>() > domain::kMaxTtl) ||
      !domain::is_valid_ttl(value->get<std::int64_t>())) {
    throw invalid_field(field, domain::kTtlRule);
  }
  return std::optional<int>(static_cast<int>(value->get<std::int64_t>()));
}

std::optional<std::optional<domain::TokenFormat>> BodyReader::optional_token_format(
    const std::string& field) {
  const auto* value = take(field);
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) return std::optional<domain::TokenFormat>();
  if (value->is_string()) {
    if (auto format = domain::parse_token_format(value->get<std::string>())) {
      return std::optional<domain::TokenFormat>(*format);
    }
  }
  throw invalid_field(field, "must be \"opaque\", \"jwt\" or null");
}

std::optional<std::optional<domain::SigningAlg>> BodyReader::optional_signing_alg(
    const std::string& field) {
  const auto* value = take(field);
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) return std::optional<domain::SigningAlg>();
  if (value->is_string()) {
    if (auto alg = domain::parse_signing_alg(value->get<std::string>())) {
      return std::optional<domain::SigningAlg>(*alg);
    }
  }
  throw invalid_field(field, "must be \"EdDSA\", \"ES256\", \"RS256\" or null");
}

void BodyReader::finish() const {
  for (const auto& [key, value] : body_.items()) {
    if (read_.count(key) == 0) throw invalid_field(key, "is not a known field");
  }
}

}  // namespace tessera::admin
