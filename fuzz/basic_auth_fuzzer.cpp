// Fuzzes the Authorization header of the public endpoints
// (http/basic_auth): each input is tried as the header value, and as the
// credentials inside "Basic <base64>", which reaches the percent-decoding
// and the clean-text checks without first having to be valid base64.

#include <sodium.h>

#include <string>

#include "domain/text.hpp"
#include "fuzz_check.hpp"
#include "http/basic_auth.hpp"
#include "http/percent_decode.hpp"

namespace {

using tessera::http::ParsedAuthorization;
using Kind = ParsedAuthorization::Kind;

std::string base64(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

ParsedAuthorization check(const std::string& header) {
  const auto parsed = tessera::http::parse_authorization(header);
  switch (parsed.kind) {
    case Kind::none:
      FUZZ_CHECK(!"a present header is never Kind::none");
      break;
    case Kind::basic: {
      const auto& credentials = parsed.credentials;
      FUZZ_CHECK(tessera::domain::is_clean_text(credentials.client_id));
      FUZZ_CHECK(tessera::domain::is_clean_text(credentials.client_secret));
      FUZZ_CHECK(credentials.client_id.size() + credentials.client_secret.size() < header.size());
      // Encoding the pair again as RFC 6749 §2.3.1 says gives the same pair.
      const auto again = tessera::http::parse_authorization(
          "Basic " + base64(tessera::http::percent_encode(credentials.client_id) + ":" +
                            tessera::http::percent_encode(credentials.client_secret)));
      FUZZ_CHECK(again.kind == Kind::basic);
      FUZZ_CHECK(again.credentials.client_id == credentials.client_id);
      FUZZ_CHECK(again.credentials.client_secret == credentials.client_secret);
      break;
    }
    case Kind::other:
      FUZZ_CHECK(!parsed.scheme.empty() && parsed.scheme != "basic");
      FUZZ_CHECK(parsed.scheme.find(' ') == std::string::npos);
      for (char c : parsed.scheme) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
      break;
    case Kind::malformed:
      break;
  }
  return parsed;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  FUZZ_CHECK(sodium_init() >= 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = tessera::fuzz::text_of(data, size);
  FUZZ_CHECK(tessera::http::parse_authorization(std::nullopt).kind == Kind::none);
  check(std::string(text));
  const auto inside = check("Basic " + base64(text));
  // Well-formed base64 of bytes with a colon is never refused for its base64.
  if (inside.kind == Kind::malformed && text.find(':') != std::string_view::npos) {
    const auto colon = text.find(':');
    const auto id = tessera::http::percent_decode(text.substr(0, colon), true);
    const auto secret = tessera::http::percent_decode(text.substr(colon + 1), true);
    FUZZ_CHECK(!id || !secret || !tessera::domain::is_clean_text(*id) ||
               !tessera::domain::is_clean_text(*secret));
  }
  return 0;
}
