#include "server/log.hpp"

#include <cstdio>
#include <ctime>
#include <mutex>

#include <nlohmann/json.hpp>

namespace huddle::server {
namespace {

// "2026-12-02T15:04:57.123Z": UTC, milliseconds, what log pipelines parse without being told.
std::string isoTimestamp(std::chrono::system_clock::time_point now) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

}  // namespace

std::string formatLogLine(LogFormat format, std::string_view line, const LogFields& fields,
                          std::chrono::system_clock::time_point now) {
  if (format == LogFormat::Text) return "huddle-server: " + std::string(line);
  // ordered: ts, level and msg first, as people reading raw lines expect them.
  nlohmann::ordered_json j;
  j["ts"] = isoTimestamp(now);
  j["level"] = fields.level;
  j["msg"] = line;
  j["event"] = fields.event;
  if (fields.conn != 0) j["conn"] = fields.conn;
  if (!fields.reason.empty()) j["reason"] = fields.reason;
  // A line may quote what a client sent (an Origin header, an error's text): never let it throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void logLine(std::string_view line, LogFormat format, const LogFields& fields) {
  static std::mutex mutex;
  std::string text = formatLogLine(format, line, fields, std::chrono::system_clock::now());
  text.push_back('\n');
  std::lock_guard lock(mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace huddle::server
