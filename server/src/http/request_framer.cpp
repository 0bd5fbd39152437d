#include "http/request_framer.hpp"

#include <algorithm>

namespace tessera::http {
namespace {

bool is_letter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

void RequestFramer::append(std::string_view bytes) {
  if (closed_) return;
  // Requests handed on leave the buffer here, once per append, not once per
  // request: requests pipelined in one piece would each move every byte
  // behind them, quadratic in the size of the piece.
  if (start_ > 0) {
    pending_.erase(0, start_);
    start_ = 0;
  }
  pending_.append(bytes);
}

RequestFramer::Step RequestFramer::stop(Step step) {
  closed_ = true;
  start_ = 0;
  pending_.clear();
  pending_.shrink_to_fit();
  return step;
}

RequestFramer::Step RequestFramer::next() {
  if (closed_) return {};
  if (!have_head_) {
    auto unread = std::string_view(pending_).substr(start_);
    // RFC 9112 §2.2: empty lines before a request line are ignored.
    std::size_t skip = 0;
    while (unread.size() >= skip + 2 && unread.compare(skip, 2, "\r\n") == 0) skip += 2;
    if (skip > 0) {
      start_ += skip;
      unread.remove_prefix(skip);
      scanned_ = 0;
      line_ended_ = false;
    }
    if (unread.empty() || (unread.size() == 1 && unread[0] == '\r')) return {};
    // Every method is a token of letters: anything else (a TLS handshake,
    // binary noise) is not HTTP, and closing is the only sensible answer.
    if (!is_letter(unread[0])) return stop({Outcome::not_http, {}, {}, false});

    // Searching from where the last search stopped keeps a head that
    // arrives byte by byte linear.
    const auto from = scanned_ >= 3 ? scanned_ - 3 : 0;
    const auto end = unread.find("\r\n\r\n", from);
    // RFC 9112 §2.2 lets a server take a bare LF for a line end; Tessera
    // refuses it, and at once: such a head would never end in CRLF CRLF.
    const auto head_part = unread.substr(0, end);
    // The request line ends at the first LF; its length (without CRLF) is
    // known then, whatever the packets were: one past the limit is refused
    // at once, before anything after it is looked at.
    const auto max_line = limits_.head.max_request_line;
    for (auto lf = head_part.find('\n', scanned_ > 0 ? scanned_ - 1 : 0);
         lf != std::string_view::npos; lf = head_part.find('\n', lf + 1)) {
      if (!line_ended_ && lf > max_line + 1) {
        return stop({Outcome::refused, {}, {414, "the request target is too long"}, false});
      }
      if (lf == 0 || head_part[lf - 1] != '\r') {
        return stop(
            {Outcome::refused, {}, {400, "a line of the head does not end in CRLF"}, false});
      }
      line_ended_ = true;
    }
    if (end == std::string_view::npos) {
      scanned_ = unread.size();
      // Without its LF, a line of max_line bytes may still end: its CR can
      // be the last byte buffered.
      if (!line_ended_ && unread.size() > max_line + 1) {
        return stop({Outcome::refused, {}, {414, "the request target is too long"}, false});
      }
      if (unread.size() > limits_.head.max_head) {
        return stop({Outcome::refused, {}, {431, "the request headers are too large"}, false});
      }
      return {};
    }
    head_size_ = end + 4;
    auto parsed = parse_request_head(unread.substr(0, head_size_), limits_.head);
    if (auto* error = std::get_if<HeadError>(&parsed)) {
      return stop({Outcome::refused, {}, std::move(*error), false});
    }
    head_ = std::move(std::get<RequestHead>(parsed));
    have_head_ = true;
    continue_sent_ = false;
    if (head_.content_length > limits_.max_body) {
      Step step;
      step.outcome = Outcome::request;
      step.request.head = std::move(head_);
      step.request.body_too_large = true;
      have_head_ = false;
      return stop(std::move(step));
    }
  }
  const auto unread = std::string_view(pending_).substr(start_);
  if (unread.size() - head_size_ < head_.content_length) {
    Step step;
    if (head_.expects_continue && !continue_sent_) {
      step.send_continue = true;
      continue_sent_ = true;
    }
    return step;
  }
  const auto consumed = head_size_ + head_.content_length;
  Step step;
  step.outcome = Outcome::request;
  step.request.body = std::string(unread.substr(head_size_, head_.content_length));
  step.request.head = std::move(head_);
  start_ += consumed;
  have_head_ = false;
  scanned_ = 0;
  line_ended_ = false;
  return step;
}

}  // namespace tessera::http
