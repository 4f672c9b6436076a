// The connection caps fit the open-file limit, so the server refuses politely before it runs out
// of descriptors.
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "server/file_limit.hpp"
#include "server_process.hpp"

namespace huddle::server {
namespace {

TEST(ServerFileLimit, CapsThatFitAreKept) {
  ServerConfig config;  // 1000 WebSockets + 2 x 1000 HTTP + 64 reserved
  EXPECT_EQ(fitToOpenFileLimit(config, 1'048'576), "");
  EXPECT_EQ(fitToOpenFileLimit(config, 3064), "");
  EXPECT_EQ(config.maxConnections, 1000u);
  EXPECT_EQ(config.maxHttpConnections, 1000u);
}

TEST(ServerFileLimit, CapsOverTheDefault1024AreLoweredWithAReason) {
  ServerConfig config;
  const std::string line = fitToOpenFileLimit(config, 1024);
  EXPECT_NE(line.find("open-file limit 1024"), std::string::npos) << line;
  EXPECT_LE(descriptorsNeeded(config) + kReservedFileDescriptors, 1024u);
  EXPECT_EQ(config.maxConnections, 320u);  // in proportion: 1000 * 960 / 3000
  EXPECT_EQ(config.maxHttpConnections, 320u);
}

// "Max open files" soft limit of a process, from /proc/PID/limits.
std::string softOpenFiles(pid_t pid) {
  std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
  for (std::string line; std::getline(limits, line);) {
    if (line.rfind("Max open files", 0) != 0) continue;
    std::istringstream fields(line.substr(std::string("Max open files").size()));
    std::string soft;
    fields >> soft;
    return soft;
  }
  return "";
}

TEST(ServerFileLimit, TheBinaryRaisesItsSoftLimitToTheHardOne) {
  rlimit mine{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &mine), 0);
  if (mine.rlim_max <= 1024) GTEST_SKIP() << "hard limit " << mine.rlim_max << ": nothing to raise";
  rlimit low = mine;
  low.rlim_cur = 1024;  // what a default shell gives; the child inherits it
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  test::ServerProcess server({"--port", "0", "--quiet"});
  ::setrlimit(RLIMIT_NOFILE, &mine);
  ASSERT_TRUE(server.readLine(std::chrono::seconds(10)).has_value());
  const std::string hard = mine.rlim_max == RLIM_INFINITY ? "unlimited" : std::to_string(mine.rlim_max);
  EXPECT_EQ(softOpenFiles(server.pid()), hard);
}

}  // namespace
}  // namespace huddle::server
