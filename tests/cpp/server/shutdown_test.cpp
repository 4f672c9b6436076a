// Stopping: in-process stop() and a real SIGTERM both close WebSockets with going_away and end
// cleanly. Also the binary's command line: the listening line, options from the environment and
// flags, --help and exit code 2.
#include <signal.h>

#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_fixture.hpp"
#include "server_process.hpp"
#include "temp_web_root.hpp"

namespace huddle::test {
namespace {

using std::chrono::milliseconds;

class ServerShutdown : public ServerFixture {};

TEST_F(ServerShutdown, StopClosesClientsWithGoingAway) {
  startServer();
  auto ann = greeted();
  ann->create("Ann");
  auto idle = std::make_unique<WsClient>(port());  // never said hello
  const auto started = std::chrono::steady_clock::now();

  server().shutdown();
  auto annCode = ann->waitClosed();
  auto idleCode = idle->waitClosed();
  server().wait();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  ASSERT_TRUE(annCode.has_value());
  EXPECT_EQ(*annCode, 1001);
  ASSERT_TRUE(idleCode.has_value());
  EXPECT_EQ(*idleCode, 1001);
  EXPECT_EQ(server().stats().hub.connections, 0u);
  EXPECT_EQ(server().stats().hub.rooms, 0u);
  // The port no longer accepts.
  EXPECT_EQ(httpGet(port(), "/healthz").status, 0);
}

TEST_F(ServerShutdown, StopWithIdleHttpKeepAliveDoesNotHang) {
  startServer();
  // A connection that never sends a request would hold the I/O loop for the read timeout.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port()});
  std::this_thread::sleep_for(milliseconds(20));
  const auto started = std::chrono::steady_clock::now();
  server().stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
}

TEST_F(ServerShutdown, ServerWithSeveralThreadsRunsAndStops) {
  auto config = testConfig();
  config.threads = 4;
  startServer(config);
  auto ann = greeted();
  const std::string code = ann->create("Ann")["code"].get<std::string>();
  std::vector<std::unique_ptr<WsClient>> others;
  for (int i = 0; i < 5; ++i) {
    others.push_back(greeted());
    others.back()->join(code, "P" + std::to_string(i));
  }
  for (int i = 0; i < 5; ++i) ann->expect("peer_joined");
  for (std::size_t i = 0; i < others.size(); ++i)
    for (std::size_t later = i + 1; later < others.size(); ++later) others[i]->expect("peer_joined");
  ann->send(frames::leave());
  for (std::size_t i = 0; i < others.size(); ++i) {
    EXPECT_EQ(others[i]->expect("peer_left")["id"], ann->id());
    EXPECT_EQ(others[i]->expect("host_changed")["host"], others[0]->id());
  }
  server().shutdown();
  for (auto& o : others) EXPECT_EQ(o->waitClosed(), 1001);
  EXPECT_EQ(ann->waitClosed(), 1001);
  server().wait();
}

TEST(ServerProcessTest, SigtermClosesClientsWithGoingAwayAndExitsZero) {
  ServerProcess process({"--port", "0", "--static-dir", "/nonexistent"});
  auto line = process.readLine(milliseconds(3000));
  ASSERT_TRUE(line.has_value());
  std::smatch m;
  ASSERT_TRUE(std::regex_match(*line, m, std::regex(R"(huddle-server listening on http://127\.0\.0\.1:(\d+))")))
      << *line;
  const auto port = static_cast<unsigned short>(std::stoi(m[1]));

  WsClient client(port);
  client.hello();
  client.create("Ann");
  process.signal(SIGTERM);
  EXPECT_EQ(client.waitClosed(), 1001);
  EXPECT_EQ(process.waitExit(milliseconds(3000)), 0);
}

TEST(ServerProcessTest, EnvironmentConfiguresTheBinary) {
  ServerProcess process({}, {"HUDDLE_PORT=0", "HUDDLE_ICE_SERVERS=[{\"urls\":\"stun:env.example\"}]",
                             "HUDDLE_STATIC_DIR=/nonexistent"});
  auto line = process.readLine(milliseconds(3000));
  ASSERT_TRUE(line.has_value());
  const auto port = static_cast<unsigned short>(std::stoi(line->substr(line->rfind(':') + 1)));
  WsClient client(port);
  EXPECT_EQ(client.hello()["iceServers"][0]["urls"], "stun:env.example");
  process.signal(SIGINT);
  EXPECT_EQ(client.waitClosed(), 1001);
  EXPECT_EQ(process.waitExit(milliseconds(3000)), 0);
}

TEST(ServerProcessTest, ExperiencesDirComesFromTheVariableOrTheFlag) {
  TempWebRoot web;
  const std::string dir = web.experiences().string();
  for (const auto& [args, env] : {std::pair<std::vector<std::string>, std::vector<std::string>>{
                                      {}, {"HUDDLE_PORT=0", "HUDDLE_EXPERIENCES_DIR=" + dir}},
                                  {{"--port", "0", "--experiences-dir", dir}, {"HUDDLE_EXPERIENCES_DIR=/nonexistent"}}}) {
    ServerProcess process(args, env);
    auto line = process.readLine(milliseconds(3000));
    ASSERT_TRUE(line.has_value());
    const auto port = static_cast<unsigned short>(std::stoi(line->substr(line->rfind(':') + 1)));
    auto listing = httpGet(port, "/experiences/");
    EXPECT_EQ(listing.status, 200);
    EXPECT_NE(listing.body.find(R"("name":"draw")"), std::string::npos) << listing.body;
    process.signal(SIGINT);
    EXPECT_EQ(process.waitExit(milliseconds(3000)), 0);
  }
}

TEST(ServerProcessTest, HelpPrintsOptionsAndExitsZero) {
  ServerProcess process({"--help"});
  const std::string out = process.readAll(milliseconds(3000));
  EXPECT_NE(out.find("--max-connections"), std::string::npos) << out;
  EXPECT_NE(out.find("HUDDLE_HEARTBEAT_MS"), std::string::npos) << out;
  EXPECT_NE(out.find("--experiences-dir DIR"), std::string::npos) << out;
  EXPECT_EQ(process.waitExit(milliseconds(3000)), 0);
}

TEST(ServerProcessTest, BadValuesExitWithCodeTwo) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--max-room-size", "9"},
                                        std::vector<std::string>{"--ice-servers", "{\"urls\":1}"},
                                        std::vector<std::string>{"--port", "http"},
                                        std::vector<std::string>{"--nope"}}) {
    ServerProcess process(args);
    EXPECT_EQ(process.readAll(milliseconds(3000)), "");
    EXPECT_EQ(process.waitExit(milliseconds(3000)), 2) << args[0];
  }
  ServerProcess env({}, {"HUDDLE_HEARTBEAT_MS=soon"});
  EXPECT_EQ(env.waitExit(milliseconds(3000)), 2);
}

TEST(ServerProcessTest, PortInUseExitsWithCodeOne) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor taken(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  ServerProcess process({"--port", std::to_string(taken.local_endpoint().port())});
  EXPECT_EQ(process.waitExit(milliseconds(3000)), 1);
}

}  // namespace
}  // namespace huddle::test
