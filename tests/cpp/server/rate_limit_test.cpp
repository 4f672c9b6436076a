// The per-connection frame and byte rate limits: a flood is refused frame by frame, never
// silently, and the connection works again once the rate drops; welcome announces the limits.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_fixture.hpp"

namespace huddle::test {
namespace {

using namespace std::chrono_literals;

class ServerRateLimit : public ServerFixture {
 protected:
  void SetUp() override {
    auto config = testConfig();
    config.rate.framesPerSecond = 20;
    config.rate.frameBurst = 10;
    config.rate.bytesPerSecond = 100'000;
    config.rate.byteBurst = 150'000;
    startServer(config);
  }
};

TEST_F(ServerRateLimit, AFloodIsAnsweredFrameByFrameAndTheConnectionRecovers) {
  auto client = greeted();  // hello took one token
  constexpr int kSent = 60;
  for (int i = 1; i <= kSent; ++i) client->send(frames::ping(static_cast<std::uint64_t>(i)));
  int pongs = 0;
  int limited = 0;
  for (int i = 0; i < kSent; ++i) {
    auto frame = client->next();
    ASSERT_TRUE(frame) << "only " << i << " answers to " << kSent << " frames";
    if ((*frame)["t"] == "pong") ++pongs;
    if ((*frame)["t"] == "error" && (*frame)["code"] == "rate_limited") ++limited;
  }
  EXPECT_EQ(pongs + limited, kSent) << "every frame is answered";
  EXPECT_GE(pongs, 9);  // the rest of the burst
  EXPECT_GE(limited, kSent - 20);
  std::this_thread::sleep_for(300ms);  // ~6 tokens back at 20/s
  client->send(frames::ping(999));
  EXPECT_EQ(client->expect("pong")["id"], 999);
}

TEST_F(ServerRateLimit, BytesAreLimitedToo) {
  auto client = greeted();
  // 60 KB pings (unknown fields are ignored): two fit the 150 KB burst, the third does not.
  auto big = [](std::uint64_t id) {
    return nlohmann::json{{"t", "ping"}, {"id", id}, {"pad", std::string(60'000, 'x')}}.dump();
  };
  for (std::uint64_t id = 1; id <= 3; ++id) client->sendText(big(id));
  EXPECT_EQ(client->expect("pong")["id"], 1);
  EXPECT_EQ(client->expect("pong")["id"], 2);
  auto refused = client->expect("error");
  EXPECT_EQ(refused["code"], "rate_limited");
  EXPECT_NE(refused["message"].get<std::string>().find("100000 bytes per second"), std::string::npos)
      << refused["message"];
  client->send(frames::ping(4));  // a small frame still fits what is left
  EXPECT_EQ(client->expect("pong")["id"], 4);
}

TEST_F(ServerRateLimit, WelcomeAnnouncesTheLimits) {
  WsClient client(port());
  auto welcome = client.hello();
  // (relayBytes: the address's relay budget, docs/protocol.md "Limits per address")
  EXPECT_EQ(welcome["rate"], (nlohmann::json{{"frames", 20},
                                             {"frameBurst", 10},
                                             {"bytes", 100000},
                                             {"byteBurst", 150000},
                                             {"relayBytes", 8 * 1024 * 1024},
                                             {"relayByteBurst", 8 * 1024 * 1024}}));
}

TEST_F(ServerRateLimit, RefusedFramesAreCountedOnHealthz) {
  auto client = greeted();
  for (int i = 0; i < 30; ++i) client->send(frames::ping(1));
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(client->next());
  auto health = nlohmann::json::parse(httpGet(port(), "/healthz").body);
  EXPECT_GE(health["rateLimited"].get<int>(), 15);
  EXPECT_GE(health["framesRejected"].get<int>(), health["rateLimited"].get<int>());
}

}  // namespace
}  // namespace huddle::test
