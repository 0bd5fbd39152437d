#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/request_head.hpp"

namespace tessera::http {

// Splits the bytes that arrive on one connection into requests (RFC 9112
// §6.3: a body is framed by its Content-Length) and says when they cannot be
// a request. Pure: no sockets, no clock, so every byte sequence can be tried
// in a unit test or a fuzzer.
class RequestFramer {
 public:
  struct Limits {
    HeadLimits head;
    // A longer declared body is not read: the request is handed on with
    // body_too_large set (so routing can answer 404/405 before 413) and the
    // connection's remaining bytes are discarded.
    std::size_t max_body = 64 * 1024;
  };

  struct Framed {
    RequestHead head;
    std::string body;
    bool body_too_large = false;
  };

  enum class Outcome {
    need_more,  // wait for more bytes
    request,    // `request` is complete
    refused,    // `error` says why; answer it and close
    not_http,   // the bytes do not start with a request line: close
  };

  struct Step {
    Outcome outcome = Outcome::need_more;
    Framed request;
    HeadError error;
    // With need_more: the client waits for "100 Continue" before sending
    // the body (RFC 9110 §10.1.1); set once per request.
    bool send_continue = false;
  };

  explicit RequestFramer(Limits limits) : limits_(limits) {}

  void append(std::string_view bytes);
  // Call until it gives need_more; after refused, not_http or a request
  // with body_too_large every later call gives need_more (bytes discarded).
  Step next();
  // Some bytes of a request that is not complete yet are buffered.
  bool mid_request() const { return !closed_ && pending_.size() > start_; }
  // The connection's input is being discarded.
  bool closed() const { return closed_; }
  // From now on every byte is discarded (the connection is closing).
  void discard_rest() { stop({}); }

 private:
  Step stop(Step step);

  Limits limits_;
  std::string pending_;
  std::size_t start_ = 0;    // bytes at the front of pending_ already handed on
  std::size_t scanned_ = 0;  // unread bytes known to hold no CRLF CRLF
  bool line_ended_ = false;  // the request line's CRLF has arrived
  bool have_head_ = false;
  RequestHead head_;
  std::size_t head_size_ = 0;
  bool continue_sent_ = false;
  bool closed_ = false;
};

}  // namespace tessera::http
