// tessctl: the admin command-line client of Tessera (SPEC §1). Output is
// held back until the command has succeeded, so a failure leaves stdout
// empty and says one line on stderr.
#include <curl/curl.h>

#include <iostream>
#include <sstream>

#include "cli/error.hpp"
#include "cli/run.hpp"

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const std::vector<std::string> words(argv + 1, argv + argc);
  std::ostringstream out;
  int status = 0;
  try {
    tessctl::run(words, out);
    std::cout << out.str() << std::flush;
  } catch (const tessctl::CliError& e) {
    std::cerr << tessctl::error_line(e.what()) << '\n';
    status = e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << tessctl::error_line(std::string("unexpected error: ") + e.what()) << '\n';
    status = 1;
  }
  curl_global_cleanup();
  return status;
}
