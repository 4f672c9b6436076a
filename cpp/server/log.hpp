// Server events on stderr, one line each: text for people, or one JSON object per line for a log
// pipeline (--log-format json). Never pass payloads, tokens, passwords or client addresses here
// (DESIGN.md "Privacy"): a JSON line carries what its text carries, and only the fields below.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace huddle::server {

enum class LogFormat { Text, Json };

// What a line is about, besides its text. Only JSON lines show these.
struct LogFields {
  std::string_view event = "server";  // a stable name for the kind of line: "ws_open", "ws_closed", ...
  std::string_view level = "info";    // "info", "warn" or "error"
  std::uint64_t conn = 0;             // the WebSocket connection it is about ("ws #N"); 0: none
  // Why: a WebSocket's end (connectionEndName, metrics.hpp) or the limit that refused a connection
  // (huddle_refusals_total's limit label); "": none.
  std::string_view reason;
};

// One line as written, without its newline. Text: "huddle-server: <line>" (fields unused). Json:
// {"ts":"2026-12-02T15:04:57.123Z","level":..,"msg":<line>,"event":..} then "conn" and "reason"
// when set; bytes of `line` that are not UTF-8 are replaced, so every line parses.
std::string formatLogLine(LogFormat format, std::string_view line, const LogFields& fields,
                          std::chrono::system_clock::time_point now);

// Writes formatLogLine(..., now) and a newline to stderr, atomically with respect to other
// logLine calls.
void logLine(std::string_view line, LogFormat format = LogFormat::Text, const LogFields& fields = {});

}  // namespace huddle::server
