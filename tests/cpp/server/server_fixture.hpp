// Starts a real huddle::server::Server on 127.0.0.1:0 for one test and stops it afterwards.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "server/config.hpp"
#include "server/server.hpp"
#include "ws_client.hpp"

namespace huddle::test {

// A config suited to tests: loopback, any free port, no static or experiences directory unless set,
// and no grace period, so a dropped connection leaves at once (grace_test.cpp sets one).
inline server::ServerConfig testConfig() {
  server::ServerConfig c;
  c.host = "127.0.0.1";
  c.port = 0;
  c.staticDir = "/nonexistent/huddle-test-static";
  c.experiencesDir = "/nonexistent/huddle-test-experiences";
  c.memberGraceMs = 0;
  return c;
}

class ServerFixture : public ::testing::Test {
 protected:
  void TearDown() override { stopServer(); }

  void startServer(server::ServerConfig config = testConfig()) {
    server_ = std::make_unique<server::Server>(std::move(config));
    auto ec = server_->start();
    ASSERT_FALSE(ec) << ec.message();
    port_ = server_->port();
    ASSERT_NE(port_, 0);
  }
  void stopServer() {
    if (server_) server_->stop();
  }

  // A connected client that has said hello.
  std::unique_ptr<WsClient> greeted() {
    auto client = std::make_unique<WsClient>(port_);
    client->hello();
    return client;
  }

  struct TwoMembers {
    std::unique_ptr<WsClient> ann;
    std::unique_ptr<WsClient> bob;
    std::string code;
  };
  // Ann creates a room and Bob joins it; Ann has already read Bob's peer_joined.
  TwoMembers annAndBob() {
    TwoMembers room{greeted(), greeted(), ""};
    room.code = room.ann->create("Ann")["code"].get<std::string>();
    room.bob->join(room.code, "Bob");
    room.ann->expect("peer_joined");
    return room;
  }

  unsigned short port() const { return port_; }
  server::Server& server() { return *server_; }

  std::unique_ptr<server::Server> server_;
  unsigned short port_ = 0;
};

// A fixture whose server runs testConfig() as `Configure` adjusts it, for a suite that needs a few
// knobs of its own: `void lowCaps(server::ServerConfig& c) { c.maxConnections = 4; }` then
// `using ServerLowCaps = ConfiguredServer<lowCaps>;` and TEST_F(ServerLowCaps, ...).
template <void (*Configure)(server::ServerConfig&)>
class ConfiguredServer : public ServerFixture {
 protected:
  void SetUp() override {
    auto config = testConfig();
    Configure(config);
    startServer(config);
  }
};

}  // namespace huddle::test
