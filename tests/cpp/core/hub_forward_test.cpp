// How the hub forwards payloads (issue 10's hot path): as the text they arrived in, one shared
// buffer per broadcast, and never as a frame larger than a client accepts. The same whether the
// frame took the hot path (huddle/route.hpp) or the full decoder.
#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"

namespace huddle {
namespace {

using testing::onlyFrame;

class HubForward : public testing::HubThreeMembers {};

TEST_F(HubForward, RelayDataIsForwardedAsTheTextItArrivedAs) {
  // Written out again, 1e9 would become 1000000000.0 and the spaces would go.
  auto out = h.send(1, R"({"t":"relay","to":")" + bob + R"(","seq":4,"data":{"n" : 1e9, "s":"\u00e9"}})");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NE(out[0].frame.view().find(R"("data":{"n" : 1e9, "s":"\u00e9"})"), std::string_view::npos) << out[0].frame;
  RelayIn r = onlyFrame<RelayIn>(out, 2);
  EXPECT_EQ(r.from, ann);
  EXPECT_EQ(r.seq, 4u);
  EXPECT_FALSE(r.broadcast);
  EXPECT_EQ(nlohmann::json::parse(r.data)["s"], "é");
}

TEST_F(HubForward, ABroadcastSharesOneBufferAmongItsRecipients) {
  auto out = h.send(1, R"({"t":"relay","seq":1,"data":"hi"})");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].frame.data(), out[1].frame.data());
  EXPECT_EQ(out[0].frame.holders(), 2);
}

TEST_F(HubForward, AFrameThatWouldOutgrowTheLimitIsRefusedToItsSender) {
  // Under the limit as sent; over it once "from" and "broadcast" are added around the data.
  std::string prefix = R"({"t":"relay","seq":1,"data":")";
  std::string data(limits::kMaxFrameBytes - prefix.size() - 2, 'x');
  std::string frame = prefix + data + "\"}";
  ASSERT_EQ(frame.size(), limits::kMaxFrameBytes);
  ErrorFrame e = h.refused(1, frame);
  EXPECT_EQ(e.code, ErrorCode::FrameTooLarge);
  EXPECT_EQ(e.ref, "relay");
  EXPECT_EQ(h.hub.stats().relayedMessages, 0u);
}

TEST_F(HubForward, FramesTheHotPathLeavesAreForwardedAlike) {
  // An escaped key sends this frame through the full decoder; it reaches Bob all the same.
  auto out = h.send(1, R"({"t":"relay","\u0074o":")" + bob + R"(","seq":2,"data":[1,2]})");
  RelayIn r = onlyFrame<RelayIn>(out, 2);
  EXPECT_EQ(r.data, "[1,2]");
  EXPECT_EQ(h.hub.stats().relayedMessages, 1u);
}

TEST_F(HubForward, PartsGoEachToTheirMember) {
  auto out = h.send(3, R"({"t":"relay","seq":9,"parts":[{"to":")" + ann + R"(","data":"a"},{"to":")" + bob +
                           R"(","data":"b"}]})");
  EXPECT_EQ(onlyFrame<RelayIn>(out, 1).data, R"("a")");
  EXPECT_EQ(onlyFrame<RelayIn>(out, 2).data, R"("b")");
}

TEST_F(HubForward, ARelayToAnEmptyIdIsAnErrorNotABroadcast) {
  // Both decoders: the hot path, and the full one (an escaped key).
  for (std::string frame : {R"({"t":"relay","to":"","seq":1,"data":1})", R"({"t":"relay","\u0074o":"","seq":1,"data":1})"}) {
    ErrorFrame e = h.refused(1, frame);
    EXPECT_EQ(e.code, ErrorCode::BadFrame) << frame;
    EXPECT_EQ(e.ref, "relay");
  }
  EXPECT_EQ(h.hub.stats().relayedMessages, 0u);
}

TEST_F(HubForward, AFrameWithSeveralRefusedPartsCountsAsOneRejectedFrame) {
  std::uint64_t in = h.hub.stats().framesIn, rejected = h.hub.stats().framesRejected;
  auto out = h.send(1, R"({"t":"relay","seq":1,"parts":[{"to":"NOBODY0001","data":1},{"to":"NOBODY0002","data":2},)"
                       R"({"to":"NOBODY0003","data":3}]})");
  EXPECT_EQ(out.size(), 3u);  // each part still gets its own error
  EXPECT_EQ(h.hub.stats().framesIn - in, 1u);
  EXPECT_EQ(h.hub.stats().framesRejected - rejected, 1u);
}

TEST_F(HubForward, NumbersAndSpacingReachTheMemberByteForByte) {
  const std::string data = R"({"a":1E14,"b":-0.5e-7, "c":[1e300,100000000000000]})";
  for (std::string frame : {R"({"t":"relay","to":")" + bob + R"(","seq":1,"data":)" + data + "}",
                            R"({"t":"relay","seq":2,"data":)" + data + "}",
                            R"({"t":"relay","seq":3,"parts":[{"to":")" + bob + R"(","data":)" + data + "}]}"}) {
    auto out = h.send(1, frame);
    ASSERT_FALSE(out.empty());
    EXPECT_NE(out[0].frame.view().find(R"("data":)" + data + "}"), std::string_view::npos) << out[0].frame;
  }
}

TEST_F(HubForward, HotFramesBeforeHelloAreRefused) {
  h.hub.connect(9);
  for (const char* frame : {R"({"t":"ping"})", R"({"t":"relay","seq":1,"data":1})"}) {
    ErrorFrame e = h.refused(9, frame);
    EXPECT_EQ(e.code, ErrorCode::HelloRequired);
  }
}

}  // namespace
}  // namespace huddle
