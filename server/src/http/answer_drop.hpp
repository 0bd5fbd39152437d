#pragma once

#include <chrono>
#include <optional>

// When an answer is no longer written to its connection, and why.
namespace tessera::http {

// The `reason` label of tessera_http_answers_dropped_total.
enum class DropReason { connection_closed = 0, descriptor_reused = 1, too_old = 2 };
inline constexpr int kDropReasons = 3;

const char* to_string(DropReason reason);

// Pistache 0.0.5's idle sweep closes a connection without telling the
// handler (no onDisconnection, so no `gone` flag): after its keep-alive
// timeout (300 s; the header timeout, 60 s, for a peer not marked idle),
// counted from the connection's last input. An answer written later than
// that could be queued for a descriptor the sweep has freed; one younger
// than this limit, counted from its request's last bytes, cannot be.
inline constexpr std::chrono::seconds kMaxAnswerAge{30};

// What the answering thread knows when the answer is ready.
struct AnswerCircumstances {
  // Pistache reported the disconnection (or the connection's state is gone
  // with its peer): its descriptor is closed or about to be.
  bool connection_gone = false;
  // A newer connection of the listener has been given the descriptor number.
  bool descriptor_reused = false;
  // Since the request was handed off.
  std::chrono::steady_clock::duration age{};
};

// Why the answer must not be written; nullopt to write it. An answer for a
// connection that is alive and younger than kMaxAnswerAge is always written.
std::optional<DropReason> drop_reason(const AnswerCircumstances& answer);

}  // namespace tessera::http
