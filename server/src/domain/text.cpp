#include "domain/text.hpp"

namespace tessera::domain {

bool is_clean_text(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      // ASCII fast path: printable characters only.
      if (c < 0x20 || c == 0x7f) return false;
      ++p;
      continue;
    }
    // The length of the sequence and the bounds of its second byte
    // (RFC 3629 §4 table), which exclude overlong forms and surrogates.
    int length = 0;
    unsigned char low = 0x80, high = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      length = 2;
    } else if (c == 0xe0) {
      length = 3, low = 0xa0;
    } else if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef) {
      length = 3;
    } else if (c == 0xed) {
      length = 3, high = 0x9f;
    } else if (c == 0xf0) {
      length = 4, low = 0x90;
    } else if (c >= 0xf1 && c <= 0xf3) {
      length = 4;
    } else if (c == 0xf4) {
      length = 4, high = 0x8f;
    } else {
      return false;
    }
    if (end - p < length) return false;
    if (p[1] < low || p[1] > high) return false;
    for (int i = 2; i < length; ++i) {
      if (p[i] < 0x80 || p[i] > 0xbf) return false;
    }
    // C1 controls U+0080-U+009F are encoded C2 80 .. C2 9F.
    if (c == 0xc2 && p[1] <= 0x9f) return false;
    p += length;
  }
  return true;
}

}  // namespace tessera::domain
