// huddle-server's stderr lines: text by default, one JSON object per line with --log-format json
// (or HUDDLE_LOG_FORMAT=json), each with ts, level, msg and event, and conn/reason where known.
// The real binary is run and its stderr parsed line by line.
#include <signal.h>

#include <chrono>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/log.hpp"
#include "server_process.hpp"
#include "ws_client.hpp"

namespace huddle::test {
namespace {

using server::formatLogLine;
using server::LogFormat;
using std::chrono::milliseconds;

// 2026-12-02T15:04:57.123Z
const std::chrono::system_clock::time_point kWhen =
    std::chrono::system_clock::time_point(std::chrono::seconds(1796223897)) + milliseconds(123);

TEST(ServerLog, TextLinesAreAsBefore) {
  EXPECT_EQ(formatLogLine(LogFormat::Text, "ws #3 open", {.event = "ws_open", .conn = 3}, kWhen),
            "huddle-server: ws #3 open");
}

TEST(ServerLog, JsonLinesHaveTimeLevelMessageEventAndTheFieldsSet) {
  EXPECT_EQ(formatLogLine(LogFormat::Json, "ws #3 closed", {.event = "ws_closed", .conn = 3, .reason = "client_closed"},
                          kWhen),
            R"({"ts":"2026-12-02T15:04:57.123Z","level":"info","msg":"ws #3 closed","event":"ws_closed",)"
            R"("conn":3,"reason":"client_closed"})");
  EXPECT_EQ(formatLogLine(LogFormat::Json, "received SIGTERM, stopping", {}, kWhen),
            R"({"ts":"2026-12-02T15:04:57.123Z","level":"info","msg":"received SIGTERM, stopping","event":"server"})");
}

TEST(ServerLog, AJsonLineAlwaysParsesWhateverItsTextHolds) {
  const std::string line = formatLogLine(LogFormat::Json, "origin \"a\"\n\xff\xfe b", {.level = "warn"}, kWhen);
  auto j = nlohmann::json::parse(line, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << line;
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(j["level"], "warn");
  EXPECT_EQ(j["msg"].get<std::string>().substr(0, 12), "origin \"a\"\n\xEF");  // bad bytes became U+FFFD
}

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

unsigned short listeningPort(ServerProcess& process) {
  auto line = process.readLine(milliseconds(5000));
  if (!line) return 0;
  return static_cast<unsigned short>(std::stoi(line->substr(line->rfind(':') + 1)));
}

// Every stderr line of `process` (stopped with SIGTERM first), parsed; a failure for any that is not
// a JSON object with the four fields every line has.
std::vector<nlohmann::json> stopAndReadJsonLines(ServerProcess& process) {
  process.signal(SIGTERM);
  EXPECT_EQ(process.waitExit(milliseconds(5000)), 0);
  std::vector<nlohmann::json> parsed;
  for (const std::string& line : linesOf(process.readStderr(milliseconds(2000)))) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      ADD_FAILURE() << "not a JSON object: " << line;
      continue;
    }
    EXPECT_TRUE(std::regex_match(j.value("ts", ""), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"))) << line;
    EXPECT_TRUE(j["level"].is_string()) << line;
    EXPECT_TRUE(j["msg"].is_string()) << line;
    EXPECT_TRUE(j["event"].is_string()) << line;
    parsed.push_back(std::move(j));
  }
  return parsed;
}

TEST(ServerLogProcess, LogFormatJsonWritesOneObjectPerLine) {
  ServerProcess process({"--port", "0", "--static-dir", "/nonexistent", "--log-format", "json"}, {}, true);
  const unsigned short port = listeningPort(process);
  ASSERT_NE(port, 0);
  std::string id;
  {
    WsClient client(port);
    id = client.hello()["id"].get<std::string>();
    client.create("Ann");
    client.close();
  }
  const auto lines = stopAndReadJsonLines(process);
  ASSERT_FALSE(lines.empty());
  // The session's lines name their connection as a field, and its end says why.
  const nlohmann::json* open = nullptr;
  const nlohmann::json* closed = nullptr;
  for (const auto& j : lines) {
    if (j.value("event", "") == "ws_open") open = &j;
    if (j.value("event", "") == "ws_closed") closed = &j;
  }
  std::string all;
  for (const auto& j : lines) all += j.dump() + "\n";
  ASSERT_NE(open, nullptr) << all;
  ASSERT_NE(closed, nullptr) << all;
  // value(): a missing field fails the test instead of aborting it (a const json's [] asserts).
  EXPECT_EQ(open->value("msg", ""), "ws #1 open");
  EXPECT_EQ(open->value("conn", 0), 1);
  EXPECT_EQ(closed->value("conn", 0), 1);
  EXPECT_EQ(closed->value("reason", ""), "client_closed");
  EXPECT_EQ(closed->value("level", ""), "info");
  bool stopping = false;
  for (const auto& j : lines) {
    stopping = stopping || j.value("event", "") == "stopping";
    // Never the peer id (or any token): log lines are about connections, not who is in them.
    EXPECT_EQ(j.dump().find(id), std::string::npos) << j.dump();
  }
  EXPECT_TRUE(stopping);
}

TEST(ServerLogProcess, TheVariableSelectsJsonAndTextIsTheDefault) {
  {
    ServerProcess process({}, {"HUDDLE_PORT=0", "HUDDLE_STATIC_DIR=/nonexistent", "HUDDLE_LOG_FORMAT=json"}, true);
    ASSERT_NE(listeningPort(process), 0);
    const auto lines = stopAndReadJsonLines(process);
    EXPECT_GE(lines.size(), 2u);  // the missing static directory, and stopping
  }
  ServerProcess process({"--port", "0", "--static-dir", "/nonexistent"}, {}, true);
  ASSERT_NE(listeningPort(process), 0);
  process.signal(SIGTERM);
  EXPECT_EQ(process.waitExit(milliseconds(5000)), 0);
  const auto lines = linesOf(process.readStderr(milliseconds(2000)));
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines) EXPECT_EQ(line.rfind("huddle-server: ", 0), 0u) << line;
}

}  // namespace
}  // namespace huddle::test
