#pragma once

#include <string_view>

namespace tessera::domain {

// Text that Tessera accepts from a peer anywhere (SPEC §6): well-formed UTF-8
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) and
// no control characters (C0 U+0000-U+001F, DEL, C1 U+0080-U+009F). A NUL
// would be cut off by libpq's C strings; invalid UTF-8 is refused by
// PostgreSQL; control characters forge log lines. All three are refused at
// the edge, before any value reaches a cache, a limiter, a log or the store.
bool is_clean_text(std::string_view text);

}  // namespace tessera::domain
