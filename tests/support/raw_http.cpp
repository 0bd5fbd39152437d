#include "support/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>

namespace tessera::test {
namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trim(std::string text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.erase(0, 1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  return text;
}

// Parses "HTTP/1.1 400 Bad Request\r\nName: value\r\n…\r\n\r\n"; false if
// that is not what it is.
bool parse_head(const std::string& head, HttpResult& out) {
  const auto line_end = head.find("\r\n");
  const auto status_line = head.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) return false;
  try {
    out.status = std::stol(status_line.substr(9, 3));
  } catch (const std::exception&) {
    return false;
  }
  std::size_t pos = line_end + 2;
  while (pos < head.size()) {
    const auto end = head.find("\r\n", pos);
    if (end == std::string::npos || end == pos) break;
    const auto line = head.substr(pos, end - pos);
    const auto colon = line.find(':');
    if (colon == std::string::npos) return false;
    out.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
    pos = end + 2;
  }
  return true;
}

}  // namespace

RawConnection::RawConnection(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) close(fd_);
}

bool RawConnection::write(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool RawConnection::readable(std::chrono::milliseconds wait) {
  if (!buffer_.empty()) return true;
  pollfd fd{fd_, POLLIN, 0};
  return poll(&fd, 1, static_cast<int>(wait.count())) > 0;
}

RawAnswer RawConnection::read_answer(std::chrono::milliseconds limit, bool wait_for_close) {
  RawAnswer answer;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::size_t total = std::string::npos;  // head + body, once the head is in
  bool eof = false;
  auto receive = [&]() {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd fd{fd_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[16384];
    const auto n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      eof = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  };
  while (true) {
    if (total == std::string::npos) {
      const auto end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        if (!parse_head(buffer_.substr(0, end + 2), answer.response)) {
          answer.kind = RawAnswer::Kind::garbled;
          answer.raw = buffer_;
          return answer;
        }
        std::size_t length = 0;
        const auto declared = answer.response.header("content-length");
        if (!declared.empty()) length = std::stoul(declared);
        total = end + 4 + length;
      }
    }
    if (total != std::string::npos && buffer_.size() >= total) break;
    if (!receive()) {
      answer.raw = buffer_;
      if (eof) {
        answer.kind = buffer_.empty() ? RawAnswer::Kind::closed : RawAnswer::Kind::garbled;
      } else {
        answer.kind = RawAnswer::Kind::timed_out;
      }
      return answer;
    }
  }
  answer.kind = RawAnswer::Kind::answered;
  answer.raw = buffer_.substr(0, total);
  answer.response.body =
      buffer_.substr(buffer_.find("\r\n\r\n") + 4, total - buffer_.find("\r\n\r\n") - 4);
  buffer_.erase(0, total);
  if (wait_for_close) {
    while (receive()) {
    }
    answer.closed_after = eof;
  }
  return answer;
}

RawAnswer raw_exchange(int port, const std::string& bytes, std::chrono::milliseconds limit,
                       bool wait_for_close) {
  RawConnection connection(port);
  if (!connection.connected()) return {};
  if (!connection.write(bytes)) {
    // The server may close as soon as it has seen enough: read what it said.
    return connection.read_answer(limit, wait_for_close);
  }
  return connection.read_answer(limit, wait_for_close);
}

int port_of(const std::string& url) {
  return std::stoi(url.substr(url.rfind(':') + 1));
}

}  // namespace tessera::test
