#include "log/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <mutex>
#include <streambuf>

namespace tessera::log {
namespace {

config::LogFormat g_format = config::LogFormat::text;

bool printable_ascii(std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e) return false;
  }
  return true;
}

// ASCII-only JSON: control characters, DEL, every non-ASCII character (C1
// controls, U+2028, bidirectional overrides) as \u escapes, and invalid
// UTF-8 as U+FFFD instead of an exception thrown out of a log call.
std::string ascii_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

// Field values come from requests (client ids, paths, headers). A string is
// written as is only when it is non-empty printable ASCII without space,
// quote or '=' (so `key=value` stays unambiguous); anything else as an
// ASCII-only JSON string. A "\r\n" then cannot start a forged line, nor an
// escape sequence drive the terminal that shows the log (CWE-117).
std::string text_value(const nlohmann::json& value) {
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (!s.empty() && printable_ascii(s) && s.find_first_of(" \"=") == std::string::npos) return s;
  }
  return ascii_json(value);
}

}  // namespace

std::string detail::render(config::LogFormat format, std::string_view message,
                           const Fields& fields) {
  if (format == config::LogFormat::json) {
    nlohmann::json object = nlohmann::json::object();
    object["msg"] = message;
    for (const auto& [key, value] : fields.items()) object[key] = value;
    std::string dumped = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return dumped.substr(1, dumped.size() - 2);  // the pattern supplies the braces
  }
  // The message is a fixed text from the code; should one ever carry
  // something else, it still cannot break the line.
  std::string line = printable_ascii(message) ? std::string(message) : ascii_json(message);
  for (const auto& [key, value] : fields.items()) {
    line += ' ';
    line += key;
    line += '=';
    line += text_value(value);
  }
  return line;
}

namespace {

void emit(spdlog::level::level_enum level, std::string_view message, const Fields& fields) {
  if (!spdlog::should_log(level)) return;
  spdlog::log(level, "{}", detail::render(g_format, message, fields));
}

// Pistache 0.0.5 prints some exceptions to std::cerr itself (PrintException);
// in JSON mode each such line becomes a log object, so stderr stays one
// object per line.
//
// It is std::cerr's buffer from construction until its destructor (a static
// one, at exit) puts the original back: the last std::ios_base::Init
// (Pistache's, when its library is unloaded) flushes std::cerr after the
// statics are destroyed, and flushing into this object after its lifetime
// crashed every JSON-logging process at exit under ASan (SEGV in
// std::ostream::flush from ios_base::Init::~Init). A line still unfinished
// then is dropped: spdlog, which it would go to, is gone too.
class CerrToLog : public std::streambuf {
 public:
  CerrToLog() : original_(std::cerr.rdbuf(this)) {}
  ~CerrToLog() override { std::cerr.rdbuf(original_); }
  CerrToLog(const CerrToLog&) = delete;
  CerrToLog& operator=(const CerrToLog&) = delete;

 protected:
  int_type overflow(int_type ch) override {
    if (ch == traits_type::eof()) return 0;
    std::lock_guard lock(mutex_);
    if (ch == '\n') {
      flush_line();
    } else {
      line_ += static_cast<char>(ch);
    }
    return ch;
  }
  int sync() override {
    std::lock_guard lock(mutex_);
    flush_line();
    return 0;
  }

 private:
  void flush_line() {
    if (line_.empty()) return;
    error("stderr", {{"text", line_}});
    line_.clear();
  }
  std::streambuf* const original_;
  std::mutex mutex_;
  std::string line_;
};

spdlog::level::level_enum to_spdlog(config::LogLevel level) {
  switch (level) {
    case config::LogLevel::debug:
      return spdlog::level::debug;
    case config::LogLevel::info:
      return spdlog::level::info;
    case config::LogLevel::warn:
      return spdlog::level::warn;
    case config::LogLevel::error:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

// The `%*` of the patterns in line_formatter: a line's level as TESSERA_LOG_LEVEL
// spells it (debug, info, warn, error), so that what selects the lines and
// what filters them use one name. spdlog's own `%l` says "warning", and its
// names are compiled into the packaged library (SPDLOG_LEVEL_NAMES cannot
// change them). Tessera logs only those four levels; spdlog's others are
// folded into the nearest, so no line ever carries a fifth name.
class LevelName : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string_view name = level_name(message.level);
    dest.append(name.data(), name.data() + name.size());
  }
  std::unique_ptr<spdlog::custom_flag_formatter> clone() const override {
    return std::make_unique<LevelName>();
  }

 private:
  static std::string_view level_name(spdlog::level::level_enum level) {
    switch (level) {
      case spdlog::level::trace:
      case spdlog::level::debug:
        return "debug";
      case spdlog::level::info:
        return "info";
      case spdlog::level::warn:
        return "warn";
      case spdlog::level::err:
      case spdlog::level::critical:
      case spdlog::level::off:
      case spdlog::level::n_levels:
        break;
    }
    return "error";
  }
};

std::unique_ptr<spdlog::formatter> line_formatter(config::LogFormat format) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<LevelName>('*');
  formatter->set_pattern(format == config::LogFormat::json
                             ? R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%*",%v})"
                             : "%Y-%m-%dT%H:%M:%S.%fZ %* %v");
  return formatter;
}

}  // namespace

void detail::setup(config::LogFormat format, config::LogLevel level,
                   std::shared_ptr<spdlog::sinks::sink> sink) {
  g_format = format;
  auto logger = std::make_shared<spdlog::logger>("tessera", std::move(sink));
  logger->set_formatter(line_formatter(format));
  logger->set_level(to_spdlog(level));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

void setup(config::LogFormat format, config::LogLevel level) {
  detail::setup(format, level, std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (format == config::LogFormat::json) {
    static CerrToLog redirect;  // redirects std::cerr once, until exit
  }
}

void debug(std::string_view message, const Fields& fields) {
  emit(spdlog::level::debug, message, fields);
}
void info(std::string_view message, const Fields& fields) {
  emit(spdlog::level::info, message, fields);
}
void warn(std::string_view message, const Fields& fields) {
  emit(spdlog::level::warn, message, fields);
}
void error(std::string_view message, const Fields& fields) {
  emit(spdlog::level::err, message, fields);
}

bool debug_enabled() {
  return spdlog::should_log(spdlog::level::debug);
}

}  // namespace tessera::log
