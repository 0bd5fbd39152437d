#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "domain/ip_address.hpp"
#include "http/listener_kind.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace tessera::http {

class ReplyState;

// Completes one request: sends its Response exactly once, from any thread,
// with the headers every answer carries (X-Request-Id, keep-alive), and
// writes the request's one log line. Copies share the same request.
class Reply {
 public:
  explicit Reply(std::shared_ptr<ReplyState> state) : state_(std::move(state)) {}
  void operator()(Response response) const;

 private:
  std::shared_ptr<ReplyState> state_;
};

// Routes a request and eventually calls the Reply. Runs on a reactor thread:
// it must not block (hand blocking work to a WorkerPool).
using Dispatch = std::function<void(Request&&, Reply)>;

// Builds the JSON error answers the listener itself gives (400, 408, 411,
// 413, 414 and 431 for requests it refuses, 503 while draining, 500 when a
// handler threw), in the dialect of its API.
using ErrorResponder = std::function<Response(int status, const std::string& message)>;

struct ListenerOptions {
  std::string name;                              // "public" or "admin", for logs
  ListenerKind kind = ListenerKind::public_api;  // for /metrics
  config::ListenAddress address;
  unsigned threads = 1;
  // A longer body is never read. The listener answers 413 itself, unless
  // `body_limit_after_routing`: then the request is dispatched with
  // Request::body_too_large and the dispatcher answers (the public API
  // answers 404 and 405 first, SPEC §3.1). Either way the connection closes.
  std::size_t max_body_bytes = 64 * 1024;
  bool body_limit_after_routing = false;
  // A request must arrive whole (head and body) within this time of its
  // first byte, else 408: a peer cannot hold a connection's state open by
  // sending slowly.
  std::chrono::milliseconds request_timeout{10'000};
  // Peers whose X-Forwarded-For names the client (TESSERA_TRUSTED_PROXIES):
  // Request::remote_address, which rate limits and logs use, comes from it.
  std::vector<domain::Cidr> trusted_proxies;
  Dispatch dispatch;
  ErrorResponder error_response;
};

// One Pistache endpoint with Tessera's request handling around it.
class Listener {
 public:
  explicit Listener(ListenerOptions options);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds and serves on background threads; throws if the address is taken.
  void start();
  // Closes the listening socket: new connections are refused, while the
  // connections already open are still read and answered.
  void stop_accepting();
  // From now on new requests get 503 (SIGTERM: stop accepting work).
  void begin_drain();
  // Waits until every dispatched request has been answered.
  bool wait_idle(std::chrono::milliseconds limit) const;
  void stop();

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::http
