// Fuzzes the strict JSON parser every JSON body goes through
// (http/json_body: parse_json_strict, media_type_of).

#include <algorithm>
#include <string>

#include "domain/text.hpp"
#include "fuzz_check.hpp"
#include "http/json_body.hpp"

namespace {

// Levels of arrays and objects, counting at most `limit` of them.
std::size_t depth_of(const nlohmann::json& value, std::size_t limit) {
  if (limit == 0 || !value.is_structured()) return 0;
  std::size_t deepest = 0;
  for (const auto& item : value) deepest = std::max(deepest, depth_of(item, limit - 1));
  return deepest + 1;
}

void check_media_type(std::string_view text) {
  const auto media = tessera::http::media_type_of(text);
  FUZZ_CHECK(media.size() <= text.size());
  FUZZ_CHECK(media.find(';') == std::string::npos);
  for (char c : media) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
  FUZZ_CHECK(tessera::http::media_type_of(media) == media);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = tessera::fuzz::text_of(data, size);
  check_media_type(text);

  std::string error;
  const auto parsed = tessera::http::parse_json_strict(text, error);
  // nlohmann-json's own parse: what the strict one accepts, it accepts too.
  const auto lenient = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (!parsed) {
    // The reason reaches a peer and a log line: it never holds what SPEC §6
    // keeps out (control characters, invalid UTF-8).
    FUZZ_CHECK(!error.empty() && tessera::domain::is_clean_text(error));
    return 0;
  }
  FUZZ_CHECK(!lenient.is_discarded());
  // What it accepts nests at most kMaxJsonDepth levels, so walking it
  // recursively (as the checks below do) is safe.
  FUZZ_CHECK(depth_of(*parsed, tessera::http::kMaxJsonDepth + 1) <= tessera::http::kMaxJsonDepth);
  FUZZ_CHECK(*parsed == lenient);
  // Whatever it accepts can be written out (answers and logs do) and reads
  // back the same. dump() throws on invalid UTF-8: the parser must not let
  // any through.
  const auto written = parsed->dump();
  std::string again_error;
  const auto again = tessera::http::parse_json_strict(written, again_error);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == *parsed);
  return 0;
}
