#include "grants/jwt_fields.hpp"

#include "domain/text.hpp"

namespace tessera::grants {
namespace {

constexpr double kLatestNumericDate = 4e9;

}  // namespace

std::optional<nlohmann::json> json_object(const std::string& text) {
  auto value = nlohmann::json::parse(text, nullptr, false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

std::optional<domain::Timestamp> numeric_date(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  const double seconds = it->get<double>();
  // system_clock counts nanoseconds in 64 bits, up to the year 2262: a
  // later time would overflow when converted (undefined behaviour). None
  // past 2096 (4e9 s) is a time a client means.
  if (!(seconds >= 0 && seconds < kLatestNumericDate)) return std::nullopt;  // also NaN
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
