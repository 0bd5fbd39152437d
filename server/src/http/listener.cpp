#include "http/listener.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "domain/ip_address.hpp"
#include "http/percent_decode.hpp"
#include "http/reply_state.hpp"
#include "http/request_framer.hpp"
#include "http/request_id.hpp"
#include "log/log.hpp"

namespace tessera::http {
namespace {

// Short enough for the small-string buffer: Pistache takes the key by value.
const std::string kConnectionData = "tessera.conn";

P::Http::Version version_of(int minor_version) {
  return minor_version == 0 ? P::Http::Version::Http10 : P::Http::Version::Http11;
}

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
    const int fd = peer->fd();
    peer->putData(kConnectionData,
                  std::make_shared<ConnectionState>(limits, fd, shared_->descriptors.claim(fd)));
  }

  // Runs on the connection's reactor thread before Pistache closes the
  // descriptor, whose number the next accepted connection may get at once.
  // An answer from another thread must not be queued from now on
  // (ReplyState::send checks `gone` under the same mutex), and those already
  // queued go now, while the number is still this connection's: flush()
  // moves them onto its own write list, which Pistache drops with it.
  // (Pistache's idle sweep closes without calling this; kMaxAnswerAge
  // covers that path.)
  void onDisconnection(const std::shared_ptr<P::Tcp::Peer>& peer) override {
    if (auto connection =
            std::static_pointer_cast<ConnectionState>(peer->tryGetData(kConnectionData))) {
      std::lock_guard lock(connection->mutex);
      connection->gone = true;
    }
    transport()->flush();
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
          std::lock_guard gate(shared_->queue_gate);  // every push to a write queue takes it
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
    request.remote_address = client_address(peer->address().host(), request.headers);
    request.received_at = now;
    request.request_id = choose_request_id(request.header("x-request-id"));
    const bool keep_alive = framed.head.keep_alive && !framed.body_too_large;
    Reply reply(std::make_shared<ReplyState>(
        P::Http::ResponseWriter(version_of(framed.head.minor_version), transport(), this, peer),
        transport(), request, keep_alive, connection, shared_));

    const auto& options = shared_->options;
    auto query = parse_query(framed.head.query);
    if (!query) {
      return reply(
          options.error_response(400, "the query string has a malformed percent-encoding"));
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

  // The client's address: the peer's, or from X-Forwarded-For when the peer
  // is a trusted proxy (every such header, in order).
  std::string client_address(
      std::string peer, const std::vector<std::pair<std::string, std::string>>& headers) const {
    const auto& trusted = shared_->options.trusted_proxies;
    if (trusted.empty()) return peer;
    std::vector<std::string> forwarded_for;
    for (const auto& [name, value] : headers) {
      if (name == "x-forwarded-for") forwarded_for.push_back(value);
    }
    return domain::client_address(peer, forwarded_for, trusted);
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
    request.remote_address = peer->address().host();
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

// The descriptor of this process's socket listening on `port`, or -1.
// Pistache 0.0.5 keeps its own private (Tcp::Listener::listen_fd) and can
// only stop accepting together with its reactors (Endpoint::shutdown), which
// would cut the connections still being answered.
int listening_socket(std::uint16_t port) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
    int fd = -1;
    try {
      fd = std::stoi(entry.path().filename().string());
    } catch (const std::exception&) {
      continue;
    }
    int accepting = 0;
    socklen_t length = sizeof accepting;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) != 0 || !accepting) {
      continue;
    }
    sockaddr_storage address{};
    socklen_t address_length = sizeof address;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &address_length) != 0) continue;
    std::uint16_t bound = 0;
    if (address.ss_family == AF_INET) {
      bound = ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
    } else if (address.ss_family == AF_INET6) {
      bound = ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
    }
    if (bound == port) return fd;
  }
  return -1;
}

}  // namespace

struct Listener::Impl {
  std::unique_ptr<P::Http::Endpoint> endpoint;
  int listening_fd = -1;  // Pistache's, found once bound (listening_socket)
};

Listener::Listener(ListenerOptions options)
    : shared_(std::make_shared<Shared>()), impl_(std::make_unique<Impl>()) {
  shared_->options = std::move(options);
}

Listener::~Listener() {
  stop();
}

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
  impl_->listening_fd = listening_socket(options.address.port);
  if (impl_->listening_fd < 0) {
    log::warn("listening socket not found: at shutdown, connections are answered 503",
              {{"listener", options.name}});
  }
}

void Listener::stop_accepting() {
  if (impl_->listening_fd < 0) return;
  // A fresh unbound socket takes over the listening socket's descriptor
  // number: the listening socket closes (the kernel refuses new connections
  // and drops it from Pistache's epoll set), and Pistache still owns a
  // descriptor it may close later, not a number reused by a new connection.
  // An accept() already under way fails on it (EINVAL), which Pistache logs
  // and survives.
  const int inert = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (inert < 0 || dup3(inert, impl_->listening_fd, O_CLOEXEC) < 0) {
    log::warn("could not stop accepting: connections are answered 503",
              {{"listener", shared_->options.name}, {"error", std::strerror(errno)}});
  }
  if (inert >= 0) close(inert);
  impl_->listening_fd = -1;
}

void Listener::begin_drain() {
  shared_->draining = true;
}

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
