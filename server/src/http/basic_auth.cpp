#include "http/basic_auth.hpp"

#include <cctype>

#include "crypto/base64url.hpp"
#include "domain/text.hpp"
#include "http/percent_decode.hpp"

namespace tessera::http {

ParsedAuthorization parse_authorization(const std::optional<std::string>& header) {
  ParsedAuthorization out;
  if (!header) return out;
  std::string_view value(*header);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);

  const auto space = value.find(' ');
  std::string scheme(value.substr(0, space));
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "basic") {
    out.kind =
        scheme.empty() ? ParsedAuthorization::Kind::malformed : ParsedAuthorization::Kind::other;
    out.scheme = scheme;
    return out;
  }
  out.kind = ParsedAuthorization::Kind::malformed;
  if (space == std::string_view::npos) return out;
  auto encoded = value.substr(space + 1);
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  const auto decoded = crypto::base64_decode(encoded);
  if (!decoded || encoded.empty()) return out;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return out;
  auto id = percent_decode(std::string_view(*decoded).substr(0, colon), true);
  auto secret = percent_decode(std::string_view(*decoded).substr(colon + 1), true);
  // Decoded bytes are refused like those of a body parameter (SPEC §6): a
  // NUL would cut the id short in libpq, invalid UTF-8 fails in PostgreSQL.
  if (!id || !secret || !domain::is_clean_text(*id) || !domain::is_clean_text(*secret)) return out;
  out.kind = ParsedAuthorization::Kind::basic;
  out.credentials = {std::move(*id), std::move(*secret)};
  return out;
}

}  // namespace tessera::http
