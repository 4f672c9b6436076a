// The load generator's command line (bench/loadgen/options.hpp): the lists that point it at several
// servers sharing rooms through Redis, and what it refuses. Its runs are figures, not tests; what it
// is told to connect to and watch is behaviour.
#include <gtest/gtest.h>

#include "options.hpp"

namespace loadgen {
namespace {

struct Parsed {
  bool ok = false;
  Options options;
  std::string error;
};

Parsed parse(std::vector<std::string> args) {
  Parsed p;
  p.ok = parseOptions(args, p.options, p.error);
  return p;
}

TEST(LoadgenOptions, OnePortIsOneServer) {
  auto p = parse({"--port", "8081", "--server-pid", "42"});
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.options.ports, std::vector<int>{8081});
  EXPECT_EQ(p.options.serverPids, std::vector<int>{42});
  EXPECT_EQ(p.options.redisPid, 0);
}

TEST(LoadgenOptions, PortsAndServerPidsTakeCommaSeparatedListsInOrder) {
  auto p = parse({"--port=8081,8082,8083", "--redis-port", "6379", "--server-pid", "42,7", "--redis-pid", "9"});
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.options.ports, (std::vector<int>{8081, 8082, 8083}));
  EXPECT_EQ(p.options.serverPids, (std::vector<int>{42, 7}));
  EXPECT_EQ(p.options.redisPid, 9);
}

TEST(LoadgenOptions, SeveralPortsNeedTheRedisTheyShare) {
  // Members on the other servers wait for their room to be stored there before they join.
  auto p = parse({"--port", "1,2"});
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.error.find("--redis-port"), std::string::npos) << p.error;
  p = parse({"--port", "1,2", "--redis-port", "6379"});
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.options.redisPort, 6379);
}

TEST(LoadgenOptions, ALaterPortFlagReplacesTheList) {
  auto p = parse({"--port", "1,2", "--redis-port", "9", "--port", "3"});
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(p.options.ports, std::vector<int>{3});
}

TEST(LoadgenOptions, RefusesMalformedLists) {
  for (const char* bad : {"", ",", "8081,", ",8081", "8081,,8082", "8081;8082", "0", "8081,65536", "80x"}) {
    auto p = parse({"--port", bad});
    EXPECT_FALSE(p.ok) << "--port '" << bad << "'";
    EXPECT_NE(p.error.find("--port"), std::string::npos) << p.error;
  }
  for (const char* bad : {"0", "42,", "42,-1"}) {
    auto p = parse({"--port", "8081", "--server-pid", bad});
    EXPECT_FALSE(p.ok) << "--server-pid '" << bad << "'";
  }
}

TEST(LoadgenOptions, APortIsRequired) {
  auto p = parse({"--server-pid", "42"});
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error, "--port is required");
}

TEST(LoadgenOptions, SeveralPortsAreOnlyForHuddleServers) {
  // The bare ws relay shares nothing between processes: a room split over two would be two rooms.
  auto p = parse({"--protocol", "ws", "--port", "8081,8082", "--redis-port", "6379"});
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.error.find("Redis"), std::string::npos) << p.error;
  EXPECT_TRUE(parse({"--protocol", "ws", "--port", "8081"}).ok);
}

}  // namespace
}  // namespace loadgen
