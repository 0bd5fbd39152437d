#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "support/http_client.hpp"

namespace tessera::test {

// What came back for bytes written on a raw TCP connection: an HTTP answer
// (parsed into `response`), a close without any answer, or nothing before
// the time limit.
struct RawAnswer {
  enum class Kind { answered, closed, timed_out, garbled } kind = Kind::timed_out;
  HttpResult response;        // for answered: status, lower-case headers, body
  bool closed_after = false;  // the server closed the connection after the answer
  std::string raw;            // everything received
};

// One TCP connection to 127.0.0.1:port that writes exactly the given bytes.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // False when the peer is gone.
  bool write(const std::string& bytes);
  // Whether something (an answer or the end of the stream) arrives within `wait`.
  bool readable(std::chrono::milliseconds wait);
  // Reads one answer (a head and its Content-Length body) within `limit`;
  // with `wait_for_close`, also waits (as long) to see whether the server
  // closes the connection after it.
  RawAnswer read_answer(std::chrono::milliseconds limit, bool wait_for_close = false);

 private:
  int fd_ = -1;
  std::string buffer_;
};

// Writes `bytes` on a new connection and reads the one answer.
RawAnswer raw_exchange(int port, const std::string& bytes,
                       std::chrono::milliseconds limit = std::chrono::seconds(5),
                       bool wait_for_close = false);

// The port of a URL such as http://127.0.0.1:8080.
int port_of(const std::string& url);

}  // namespace tessera::test
