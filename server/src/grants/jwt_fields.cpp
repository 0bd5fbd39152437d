#include "grants/jwt_fields.hpp"

#include "domain/text.hpp"

namespace tessera::grants {

std::optional<nlohmann::json> json_object(const std::string& text) {
  auto value = nlohmann::json::parse(text, nullptr, false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

std::optional<domain::Timestamp> numeric_date(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  const double seconds = it->get<double>();
  if (!(seconds >= 0 && seconds < 1e11)) return std::nullopt;  // also NaN
  return domain::Timestamp(std::chrono::seconds(static_cast<std::int64_t>(seconds)));
}

std::optional<std::string> string_member(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

bool is_storable_jti(const std::string& jti) {
  return !jti.empty() && jti.size() <= 256 && domain::is_clean_text(jti);
}

}  // namespace tessera::grants
