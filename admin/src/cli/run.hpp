// One tessctl run: words in, text on `out`. Throws CliError on failure; the
// caller prints `out` only when nothing was thrown.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace tessctl {

void run(const std::vector<std::string>& words, std::ostream& out);

}  // namespace tessctl
