#include "http/listener.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cctype>
#include <sstream>
#include <thread>

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

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

Request to_request(const P::Http::Request& in) {
  Request out;
  out.method = P::Http::methodString(in.method());
  out.path = in.resource();
  for (auto it = in.query().parameters_begin(); it != in.query().parameters_end(); ++it) {
    out.query.emplace_back(it->first, it->second);
  }
  for (const auto& header : in.headers().list()) {
    std::ostringstream value;
    header->write(value);
    out.headers.emplace_back(lower(header->name()), value.str());
  }
  for (const auto& [name, raw] : in.headers().rawList()) {
    out.headers.emplace_back(lower(name), raw.value());
  }
  out.body = in.body();
  out.remote_address = in.address().host();
  return out;
}

bool is_probe(const std::string& path) { return path == "/healthz" || path == "/readyz"; }

}  // namespace

class ReplyState {
 public:
  ReplyState(P::Http::ResponseWriter writer, const Request& request, bool add_keep_alive,
             std::shared_ptr<Listener::Shared> shared)
      : writer_(std::move(writer)),
        method_(request.method),
        path_(request.path),
        request_id_(request.request_id),
        received_at_(request.received_at),
        add_keep_alive_(add_keep_alive),
        shared_(std::move(shared)) {}

  void send(Response response) {
    if (sent_.exchange(true)) return;
    auto& headers = writer_.headers();
    headers.add(std::make_shared<NamedHeader>("X-Request-Id", request_id_));
    for (auto& [name, value] : response.headers) {
      headers.add(std::make_shared<NamedHeader>(name, value));
    }
    // Pistache 0.0.5 answers "Connection: Close" to an HTTP/1.1 request
    // without a Connection header, although keep-alive is HTTP/1.1's default
    // (RFC 9112 §9.3); replacing the header keeps the connection open.
    if (add_keep_alive_) {
      headers.remove<P::Http::Header::Connection>();
      headers.add<P::Http::Header::Connection>(P::Http::ConnectionControl::KeepAlive);
    }
    const auto code = static_cast<P::Http::Code>(response.status);
    if (response.content_type.empty()) {
      writer_.send(code, response.body).then([](ssize_t) {}, [](std::exception_ptr) {});
    } else {
      writer_.send(code, response.body, P::Http::Mime::MediaType::fromString(response.content_type))
          .then([](ssize_t) {}, [](std::exception_ptr) {});
    }
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
  std::string method_;
  std::string path_;
  std::string request_id_;
  std::chrono::steady_clock::time_point received_at_;
  bool add_keep_alive_;
  std::shared_ptr<Listener::Shared> shared_;
  std::atomic<bool> sent_{false};
};

void Reply::operator()(Response response) const { state_->send(std::move(response)); }

namespace {

class PistacheHandler : public P::Http::Handler {
 public:
  HTTP_PROTOTYPE(PistacheHandler)

  explicit PistacheHandler(std::shared_ptr<Listener::Shared> shared) : shared_(std::move(shared)) {}

  void onRequest(const P::Http::Request& in, P::Http::ResponseWriter writer) override {
    Request request = to_request(in);
    request.received_at = std::chrono::steady_clock::now();
    request.request_id = choose_request_id(request.header("x-request-id"));
    const bool add_keep_alive =
        in.version() == P::Http::Version::Http11 && !request.header("connection").has_value();
    shared_->in_flight.fetch_add(1);
    Reply reply(std::make_shared<ReplyState>(std::move(writer), request, add_keep_alive, shared_));

    const auto& options = shared_->options;
    if (shared_->draining) {
      reply(options.error_response(503, "the server is shutting down"));
      return;
    }
    // Pistache's own limit counts headers too and is set higher; the body
    // limit is enforced here so the 413 is a JSON answer with a log line.
    if (options.max_body_bytes != 0 && request.body.size() > options.max_body_bytes) {
      reply(options.error_response(
          413, "the request body exceeds " + std::to_string(options.max_body_bytes) + " bytes"));
      return;
    }
    try {
      options.dispatch(std::move(request), reply);
    } catch (const std::exception& e) {
      log::error("request dispatch failed", {{"error", e.what()}});
      reply(options.error_response(500, "internal error"));
    }
  }

 private:
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
  // maxRequestSize counts the request line and headers too: leave room for
  // them above the body limit, which onRequest enforces with a JSON 413.
  auto endpoint_options = P::Http::Endpoint::options()
                              .threads(static_cast<int>(options.threads))
                              .flags(P::Tcp::Options::ReuseAddr)
                              .maxRequestSize(std::max<std::size_t>(options.max_body_bytes, 64 * 1024) + 192 * 1024)
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
