#include "http/listener.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <mutex>
#include <thread>

#include "http/percent_decode.hpp"
#include "http/request_framer.hpp"
#include "http/request_id.hpp"
#include "log/log.hpp"

namespace tessera::http {

namespace P = Pistache;

struct Listener::Shared {
  ListenerOptions options;
  std::atomic<bool> draining{false};
  std::atomic<long> in_flight{0};
};

namespace {

// A response header with any name (Pistache only writes typed headers).
class NamedHeader : public P::Http::Header::Header {
 public:
  NamedHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& stream) const override { stream << value_; }
  uint64_t hash() const override { return P::Http::Header::detail::hash(name_.c_str()); }

 private:
  std::string name_;
  std::string value_;
};

// A request's bytes as Tessera reads them, per TCP connection (Pistache
// peer data). The framer is used on the connection's reactor thread only;
// `answering` and `close_after_answer` are shared with the thread that
// answers, under `mutex`.
struct ConnectionState {
  explicit ConnectionState(RequestFramer::Limits limits) : framer(limits) {}
  RequestFramer framer;
  std::chrono::steady_clock::time_point request_started{};
  bool timer_armed = false;

  std::mutex mutex;
  bool answering = false;           // a request was dispatched, its answer not sent yet
  bool close_after_answer = false;  // more bytes came meanwhile: close after that answer
};

// Short enough for the small-string buffer: Pistache takes the key by value.
const std::string kConnectionData = "tessera.conn";

bool is_probe(const std::string& path) { return path == "/healthz" || path == "/readyz"; }

P::Http::Version version_of(int minor_version) {
  return minor_version == 0 ? P::Http::Version::Http10 : P::Http::Version::Http11;
}

// Runs `action` on the reactor thread of `transport` after `delay`, from any
// thread. Pistache resolves its timers on the reactor thread; the
// continuation is attached before the timer is armed, so it cannot run on
// the calling thread instead.
void on_reactor_after(P::Tcp::Transport* transport, std::chrono::milliseconds delay,
                      std::function<void()> action) {
  const int timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (timer < 0) return;
  P::Async::Deferred<uint64_t> deferred;
  P::Async::Promise<uint64_t> fired(
      [&deferred](P::Async::Deferred<uint64_t> made) { deferred = std::move(made); });
  fired.then(
      [timer, action = std::move(action)](uint64_t) {
        ::close(timer);
        action();
      },
      [timer](std::exception_ptr) { ::close(timer); });
  transport->armTimer(timer, std::max(delay, std::chrono::milliseconds(1)), std::move(deferred));
}

// How long a closing connection still reads (and discards) what its client
// sends after the last answer.
constexpr std::chrono::milliseconds kLinger{2000};

// Ends a connection once its last answer is written; on the reactor thread,
// where a live peer still owns its descriptor (Pistache removes peers on
// that thread only). FIN first, so the client reads the answer and then the
// end of the stream; the full shutdown only after a linger, since bytes the
// client is still sending would otherwise draw a reset that can destroy the
// unread answer (the "lingering close" of RFC 9112 §9.6).
void close_gracefully(P::Tcp::Transport* transport, const std::weak_ptr<P::Tcp::Peer>& peer) {
  auto live = peer.lock();
  if (!live) return;
  ::shutdown(live->fd(), SHUT_WR);
  on_reactor_after(transport, kLinger, [peer] {
    if (auto still = peer.lock()) ::shutdown(still->fd(), SHUT_RDWR);
  });
}

}  // namespace

class ReplyState {
 public:
  ReplyState(P::Http::ResponseWriter writer, P::Tcp::Transport* transport, const Request& request,
             bool keep_alive, std::weak_ptr<ConnectionState> connection,
             std::shared_ptr<Listener::Shared> shared)
      : writer_(std::move(writer)),
        transport_(transport),
        method_(request.method),
        path_(request.path),
        request_id_(request.request_id),
        received_at_(request.received_at),
        keep_alive_(keep_alive),
        connection_(std::move(connection)),
        reactor_(std::this_thread::get_id()),
        shared_(std::move(shared)) {
    shared_->in_flight.fetch_add(1);
  }

  void send(Response response) {
    if (sent_.exchange(true)) return;
    bool close = !keep_alive_;
    if (auto connection = connection_.lock()) {
      std::lock_guard lock(connection->mutex);
      connection->answering = false;
      close = close || connection->close_after_answer;
    }
    auto& headers = writer_.headers();
    headers.add(std::make_shared<NamedHeader>("X-Request-Id", request_id_));
    for (auto& [name, value] : response.headers) {
      headers.add(std::make_shared<NamedHeader>(name, value));
    }
    headers.add<P::Http::Header::Connection>(close ? P::Http::ConnectionControl::Close
                                                   : P::Http::ConnectionControl::KeepAlive);
    const auto code = static_cast<P::Http::Code>(response.status);
    auto sent = response.content_type.empty()
                    ? writer_.send(code, response.body)
                    : writer_.send(code, response.body,
                                   P::Http::Mime::MediaType::fromString(response.content_type));
    // After "Connection: close" the server closes its side once the answer
    // is written (RFC 9112 §9.6). On the reactor thread only: elsewhere the
    // descriptor could already belong to another connection.
    std::weak_ptr<P::Tcp::Peer> peer = writer_.getPeer();
    auto* transport = transport_;
    const auto reactor = reactor_;
    sent.then(
        [close, peer, transport, reactor](ssize_t) {
          if (!close) return;
          if (std::this_thread::get_id() == reactor) return close_gracefully(transport, peer);
          on_reactor_after(transport, std::chrono::milliseconds(1),
                           [transport, peer] { close_gracefully(transport, peer); });
        },
        [](std::exception_ptr) {});
    log_line(response);
    shared_->in_flight.fetch_sub(1);
  }

  ~ReplyState() {
    // A handler lost its Reply without answering: never leave a client hanging.
    if (!sent_) send(shared_->options.error_response(500, "the request was not answered"));
  }

 private:
  void log_line(const Response& response) const {
    // Clamped: on some virtual machines the steady clock differs slightly
    // between cores, which could make a short latency negative.
    const auto latency = std::max(std::chrono::duration<double, std::milli>(
                                      std::chrono::steady_clock::now() - received_at_),
                                  std::chrono::duration<double, std::milli>(0));
    log::Fields fields = {{"method", method_},
                          {"path", path_},
                          {"status", response.status},
                          {"latency_ms", std::round(latency.count() * 1000) / 1000},
                          {"request_id", request_id_}};
    count_request(shared_->options.kind, response.status, latency.count() / 1000);
    if (!response.log_tenant.empty()) fields["tenant"] = response.log_tenant;
    if (!response.log_client_id.empty()) fields["client_id"] = response.log_client_id;
    fields["listener"] = shared_->options.name;
    if (is_probe(path_)) {
      log::debug("request", fields);
    } else {
      log::info("request", fields);
    }
  }

  P::Http::ResponseWriter writer_;
  P::Tcp::Transport* transport_;
  std::string method_;
  std::string path_;
  std::string request_id_;
  std::chrono::steady_clock::time_point received_at_;
  bool keep_alive_;
  std::weak_ptr<ConnectionState> connection_;
  std::thread::id reactor_;
  std::shared_ptr<Listener::Shared> shared_;
  std::atomic<bool> sent_{false};
};

void Reply::operator()(Response response) const { state_->send(std::move(response)); }

namespace {

// Tessera reads requests itself (RequestFramer) instead of through
// Pistache 0.0.5's parser: that parser leaves a header line without a colon
// unanswered, answers some malformed headers in plain text, and drops a
// second request that arrives in the same packet. Pistache still accepts
// connections, runs the reactors, writes answers and times out idle
// connections.
class PistacheHandler : public P::Http::Handler {
 public:
  HTTP_PROTOTYPE(PistacheHandler)

  explicit PistacheHandler(std::shared_ptr<Listener::Shared> shared) : shared_(std::move(shared)) {}

  // Never called: requests come from onInput. Pistache requires it.
  void onRequest(const P::Http::Request&, P::Http::ResponseWriter) override {}

 private:
  void onConnection(const std::shared_ptr<P::Tcp::Peer>& peer) override {
    // Pistache's idle sweep reads the parser's clock and step on every
    // connection: an idle peer is closed silently after the keep-alive
    // timeout, counted from the parser's last reset.
    peer->putData(ParserData, std::make_shared<P::Http::RequestParser>(1));
    peer->setIdle(true);
    RequestFramer::Limits limits;
    limits.max_body = shared_->options.max_body_bytes;
    peer->putData(kConnectionData, std::make_shared<ConnectionState>(limits));
  }

  void onInput(const char* buffer, size_t len, const std::shared_ptr<P::Tcp::Peer>& peer) override {
    auto connection = std::static_pointer_cast<ConnectionState>(peer->tryGetData(kConnectionData));
    if (!connection || connection->framer.closed()) return;
    const auto now = std::chrono::steady_clock::now();
    if (!connection->framer.mid_request()) connection->request_started = now;
    connection->framer.append(std::string_view(buffer, len));
    while (true) {
      auto step = connection->framer.next();
      using Outcome = RequestFramer::Outcome;
      if (step.outcome == Outcome::need_more) {
        if (step.send_continue) {
          static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          peer->send(P::RawBuffer(kContinue, kContinue.size()))
              .then([](ssize_t) {}, [](std::exception_ptr) {});
        }
        break;
      }
      if (step.outcome == Outcome::not_http) {
        std::lock_guard lock(connection->mutex);
        // An earlier request's answer still goes out first.
        if (connection->answering) {
          connection->close_after_answer = true;
        } else {
          ::shutdown(peer->fd(), SHUT_RDWR);
        }
        return;
      }
      if (step.outcome == Outcome::refused) {
        refuse(peer, connection, step.error.status, step.error.message, now);
        return;
      }
      if (!begin_answer(*connection)) return;  // pipelined behind an unanswered request
      handle(peer, connection, std::move(step.request), now);
      if (connection->framer.closed()) return;
      connection->request_started = now;
    }
    // Restarts the idle clock of Pistache's sweep (see onConnection); once
    // a second is enough.
    auto parser = getParser(peer);
    if (now - parser->time() > std::chrono::seconds(1)) parser->reset();
    if (connection->framer.mid_request()) arm_deadline(peer, connection, now);
  }

  // One request at a time per connection: answers go out in order. A request
  // that arrives while the previous one is still being answered (HTTP/1.1
  // pipelining) is not read; the connection closes after that answer, and
  // RFC 9112 §9.3.2 has the client retry it.
  static bool begin_answer(ConnectionState& connection) {
    std::lock_guard lock(connection.mutex);
    if (connection.answering) {
      connection.close_after_answer = true;
      connection.framer.discard_rest();
      return false;
    }
    connection.answering = true;
    return true;
  }

  void handle(const std::shared_ptr<P::Tcp::Peer>& peer,
              const std::shared_ptr<ConnectionState>& connection, RequestFramer::Framed framed,
              std::chrono::steady_clock::time_point now) {
    Request request;
    request.method = std::move(framed.head.method);
    request.path = std::move(framed.head.path);
    request.headers = std::move(framed.head.headers);
    request.body = std::move(framed.body);
    request.body_too_large = framed.body_too_large;
    request.remote_address = peer->address().host();
    request.received_at = now;
    request.request_id = choose_request_id(request.header("x-request-id"));
    const bool keep_alive = framed.head.keep_alive && !framed.body_too_large;
    Reply reply(std::make_shared<ReplyState>(
        P::Http::ResponseWriter(version_of(framed.head.minor_version), transport(), this, peer),
        transport(), request, keep_alive, connection, shared_));

    const auto& options = shared_->options;
    auto query = parse_query(framed.head.query);
    if (!query) {
      return reply(options.error_response(400, "the query string has a malformed percent-encoding"));
    }
    request.query = std::move(*query);
    if (shared_->draining) return reply(options.error_response(503, "the server is shutting down"));
    if (request.body_too_large && !options.body_limit_after_routing) {
      return reply(options.error_response(
          413, "the request body exceeds " + std::to_string(options.max_body_bytes) + " bytes"));
    }
    try {
      options.dispatch(std::move(request), reply);
    } catch (const std::exception& e) {
      log::error("request dispatch failed", {{"error", e.what()}});
      reply(options.error_response(500, "internal error"));
    }
  }

  // A request Tessera will not read: a JSON error with Connection: close,
  // and the request's one log line.
  void refuse(const std::shared_ptr<P::Tcp::Peer>& peer,
              const std::shared_ptr<ConnectionState>& connection, int status,
              const std::string& message, std::chrono::steady_clock::time_point now) {
    {
      std::lock_guard lock(connection->mutex);
      // Never two answers at once on one connection: the pending answer
      // closes it.
      if (connection->answering) {
        connection->close_after_answer = true;
        return;
      }
    }
    Request request;
    request.method = "-";
    request.path = "-";
    request.received_at = now;
    request.request_id = choose_request_id(std::nullopt);
    Reply reply(std::make_shared<ReplyState>(
        P::Http::ResponseWriter(P::Http::Version::Http11, transport(), this, peer), transport(),
        request, false, connection, shared_));
    reply(shared_->options.error_response(status, message));
  }

  // A request that has not arrived whole by its deadline gets 408. The timer
  // fires on this reactor thread (Pistache's Transport::armTimer); one per
  // connection at a time, re-armed while requests keep arriving slowly.
  void arm_deadline(const std::shared_ptr<P::Tcp::Peer>& peer,
                    const std::shared_ptr<ConnectionState>& connection,
                    std::chrono::steady_clock::time_point now) {
    if (connection->timer_armed) return;
    connection->timer_armed = true;
    const auto deadline = connection->request_started + shared_->options.request_timeout;
    std::weak_ptr<P::Tcp::Peer> weak_peer = peer;
    std::weak_ptr<ConnectionState> weak_connection = connection;
    on_reactor_after(
        transport(), std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now),
        [this, weak_peer, weak_connection] {
          auto live_peer = weak_peer.lock();
          auto live_connection = weak_connection.lock();
          if (!live_peer || !live_connection) return;
          live_connection->timer_armed = false;
          if (!live_connection->framer.mid_request()) return;
          const auto fired_at = std::chrono::steady_clock::now();
          if (fired_at - live_connection->request_started < shared_->options.request_timeout) {
            return arm_deadline(live_peer, live_connection, fired_at);
          }
          live_connection->framer.discard_rest();
          refuse(live_peer, live_connection, 408, "the request did not arrive in time", fired_at);
        });
  }

  std::shared_ptr<Listener::Shared> shared_;
};

}  // namespace

struct Listener::Impl {
  std::unique_ptr<P::Http::Endpoint> endpoint;
};

Listener::Listener(ListenerOptions options)
    : shared_(std::make_shared<Shared>()), impl_(std::make_unique<Impl>()) {
  shared_->options = std::move(options);
}

Listener::~Listener() { stop(); }

void Listener::start() {
  const auto& options = shared_->options;
  P::Address address(options.address.host, P::Port(options.address.port));
  impl_->endpoint = std::make_unique<P::Http::Endpoint>(address);
  // Requests never reach Pistache's parser (PistacheHandler::onInput), so
  // its request size limit does not apply; RequestFramer's limits do.
  auto endpoint_options = P::Http::Endpoint::options()
                              .threads(static_cast<int>(options.threads))
                              .flags(P::Tcp::Options::ReuseAddr)
                              .maxResponseSize(4 * 1024 * 1024);
  impl_->endpoint->init(endpoint_options);
  impl_->endpoint->setHandler(P::Http::make_handler<PistacheHandler>(shared_));
  impl_->endpoint->serveThreaded();
}

void Listener::begin_drain() { shared_->draining = true; }

bool Listener::wait_idle(std::chrono::milliseconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (shared_->in_flight.load() > 0) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

void Listener::stop() {
  if (impl_ && impl_->endpoint) {
    impl_->endpoint->shutdown();
    impl_->endpoint.reset();
  }
}

}  // namespace tessera::http
