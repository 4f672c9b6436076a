// The relay end to end in core (issue 13, hole 4): what the real client packs, the real Hub
// forwards, and the recipient's own decoder accepts, with the longest envelope the server can put
// around a part (a 64-character sender id, set by an embedding site, to a 10-character one).
#include <string>

#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"
#include "fakes/hub_harness.hpp"

namespace huddle {
namespace {

const std::string kSiteUserId(limits::kMaxPeerIdChars, 'u');  // the sender: a site's own user id
const PeerId kServerId = "P200000002";                         // the recipient: an id the server gave

class HubClientRelay : public ::testing::Test {
 public:
  void TestBody() override {}  // (also used as a plain scenario, several in one test)
  void SetUp() override {
    // The Hub's side: the same two members, with the same ids.
    h.hub.connect(1, "198.51.100.1");
    h.hub.connect(2, "198.51.100.2");
    h.send(1, Hello{limits::kProtocolVersion, kSiteUserId, "", false});
    h.send(2, Hello{limits::kProtocolVersion, kServerId, "", false});
    std::string code = h.create(1, "Site user");
    h.join(2, code, "Guest");
    // The client's side: in a room with the guest, under frame limits tight enough that what it
    // sends waits and is packed (8 frames a second, no burst), bytes no limit.
    c.rate = RateLimits{10, 2, 1e9, 1e9};
    c.enterRoom(kSiteUserId, {{kSiteUserId, "Site user", 1}, {kServerId, "Guest", 2}});
    c.advance(testing::kDefaults.linkOpenTimeoutMs);
    ASSERT_EQ(c.transportOf(kServerId), Transport::Relay);
  }
  // Hands every relay frame the client sent to the Hub from conn 1; returns the largest frame
  // the recipient got, and counts what the sender was told.
  std::size_t forwardAll() {
    std::size_t largest = 0;
    for (const auto& frame : c.port.signaling) {
      if (frame.find(R"("t":"relay")") == std::string::npos) continue;
      auto out = h.send(1, frame);
      for (const auto& o : out) {
        if (o.to == 1) ++errorsToSender;
        if (o.to != 2) continue;
        largest = std::max(largest, o.frame.size());
        auto decoded = decodeServerMessage(o.frame);  // what the recipient's client reads first
        EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().message);
      }
    }
    return largest;
  }
  testing::HubHarness h;
  testing::ClientHarness c;
  int errorsToSender = 0;
};

TEST(HubClientRelayPacking, AFullyPackedPartReachesARecipientWithAShorterIdWithinTheFrameLimit) {
  // A large message, then small ones until the part is full: the part ends within a small
  // message's size of the client's limit. Padding the large one byte by byte moves that end over
  // every value, so one of the runs fills the part to the last byte the client allows.
  std::size_t largest = 0;
  int errors = 0;
  for (std::size_t pad = 0; pad < 80; ++pad) {
    HubClientRelay run;
    run.SetUp();
    ASSERT_TRUE(run.c.client.sendTo(kServerId, "\"" + std::string(60000 + pad, 'x') + "\"").ok());
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(run.c.client.sendTo(kServerId, "1").ok());
    run.c.advance(3000);
    largest = std::max(largest, run.forwardAll());
    errors += run.errorsToSender;
  }
  EXPECT_EQ(errors, 0);  // before: the server refused the fullest parts (frame_too_large), for good
  EXPECT_LE(largest, limits::kMaxFrameBytes);
  EXPECT_GT(largest, limits::kMaxFrameBytes - 64);  // a part was indeed full
}

TEST_F(HubClientRelay, TheLargestAppMessageGoesThroughTooWithTheLongestIds) {
  std::string data = "\"" + std::string(limits::kMaxAppDataBytes - 2, 'x') + "\"";
  ASSERT_TRUE(c.client.sendTo(kServerId, data).ok());
  c.advance(3000);
  EXPECT_LE(forwardAll(), limits::kMaxFrameBytes);
  EXPECT_EQ(errorsToSender, 0);
}

TEST_F(HubClientRelay, NumbersAreForwardedByteForByte) {
  const std::string data = R"({"big":1E14,"small":-0.5e-7,"int":100000000000000,"x":[1e300]})";
  ASSERT_TRUE(c.client.sendTo(kServerId, data).ok());
  c.advance(3000);
  std::string all;
  for (const auto& frame : c.port.signaling) {
    if (frame.find(R"("t":"relay")") == std::string::npos) continue;
    for (const auto& o : h.send(1, frame)) all += std::string(o.frame.view());
  }
  EXPECT_NE(all.find(data), std::string::npos) << all.substr(0, 400);
}

}  // namespace
}  // namespace huddle
