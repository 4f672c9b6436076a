// The per-connection frame rate limit: a flood is refused frame by frame, never silently, and
// the connection works again once the rate drops.
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
    config.maxFramesPerSecond = 20;
    config.frameBurst = 10;
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
