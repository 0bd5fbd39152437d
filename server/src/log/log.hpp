#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace spdlog::sinks {
class sink;
}

namespace tessera::log {

// Structured logging to stderr (stdout carries only command output). In JSON
// format every line on stderr is one object {"time","level","msg",...fields};
// in text format a line reads `time level msg key=value ...`.
void setup(config::LogFormat format, config::LogLevel level);

using Fields = nlohmann::json;  // an object; values are strings, numbers or booleans

void debug(std::string_view message, const Fields& fields = Fields::object());
void info(std::string_view message, const Fields& fields = Fields::object());
void warn(std::string_view message, const Fields& fields = Fields::object());
void error(std::string_view message, const Fields& fields = Fields::object());

bool debug_enabled();

namespace detail {
// The text of one line after the time and level (in JSON format the members
// without their braces, which the logger's pattern adds).
std::string render(config::LogFormat format, std::string_view message, const Fields& fields);
// setup() with the lines going to `sink` instead of stderr, and std::cerr
// left alone: how tests read whole lines as the server writes them.
void setup(config::LogFormat format, config::LogLevel level,
           std::shared_ptr<spdlog::sinks::sink> sink);
}  // namespace detail

}  // namespace tessera::log
