// Room state frames: each type round-trips; every malformed one is refused with a clear error.
#include "huddle/state_frames.hpp"

#include <gtest/gtest.h>

#include <random>

#include "huddle/limits.hpp"

namespace huddle::state {
namespace {

template <typename T>
T roundTrip(const T& frame) {
  std::string text = encodeStateFrame(frame);
  auto decoded = decodeStateFrame(text);
  EXPECT_TRUE(decoded.ok()) << text << ": " << (decoded.ok() ? "" : decoded.error().message);
  if (!decoded.ok()) return T{};
  EXPECT_EQ(encodeStateFrame(decoded.value()), text);
  return std::get<T>(decoded.value());
}

const Epoch kEpoch{3, "HOST_1"};

TEST(StateFrames, EveryTypeRoundTrips) {
  auto w = roundTrip(StateWrite{kEpoch, 4, "key \"q\" ✓", std::string(R"({"a":[1,2]})"), 9});
  EXPECT_EQ(w.key, "key \"q\" ✓");
  EXPECT_EQ(w.value, std::optional<std::string>(R"({"a":[1,2]})"));
  EXPECT_EQ(roundTrip(StateWrite{kEpoch, 4, "k", std::nullopt, 9}).value, std::nullopt);
  auto c = roundTrip(StateChange{kEpoch, 7, "writer", 2, "k", std::string("null"), 5, 0xfedcba9876543210ull});
  EXPECT_EQ(c.hash, 0xfedcba9876543210ull);
  EXPECT_EQ(c.epoch, kEpoch);
  auto r = roundTrip(StateRequest{1, Position{Epoch{}, 0}, true});
  EXPECT_TRUE(r.full);
  EXPECT_EQ(r.from.epoch, Epoch{});
  StateSnapshot sh{2, Position{kEpoch, 8}, 42, 1, 3, {{"a", std::string("1"), 3, "p1"}, {"b", std::nullopt, 4, "p2"}}, {{"p1", 3}}};
  auto s = roundTrip(sh);
  ASSERT_EQ(s.entries.size(), 2u);
  EXPECT_EQ(s.entries[1].value, std::nullopt);
  EXPECT_EQ(s.applied, sh.applied);
  roundTrip(StateHash{Position{kEpoch, 8}, 1});
  roundTrip(StateQuery{5});
  EXPECT_FALSE(roundTrip(StateAnswer{5, Position{kEpoch, 8}, 1, false}).ok);
  roundTrip(StateAnswer{0, Position{}, 0, true});
  roundTrip(StateRebase{5, Epoch{4, "B"}, kEpoch, 8, 7});
}

struct Bad {
  const char* text;
  ErrorCode code;
  const char* mentions;
};

TEST(StateFrames, MalformedFramesAreRefusedWithAClearError) {
  const std::string x = "\"x\":\"00000000000000ff\"";
  const std::vector<Bad> bad = {
      {"not json", ErrorCode::BadJson, ""},
      {"[1]", ErrorCode::BadFrame, "object"},
      {R"({"t":"zz"})", ErrorCode::UnknownType, "zz"},
      {R"({"t":"sw","e":1,"h":"H","n":1,"k":"k","v":1})", ErrorCode::BadFrame, "sw.l"},
      {R"({"t":"sw","e":0,"n":1,"k":"k","v":1,"l":1})", ErrorCode::BadFrame, "sw.e"},
      {R"({"t":"sw","e":1,"h":"H","n":0,"k":"k","v":1,"l":1})", ErrorCode::BadFrame, "sw.n"},
      {R"({"t":"sw","e":1,"h":"H","n":1,"k":"","v":1,"l":1})", ErrorCode::BadFrame, "sw.k"},
      {R"({"t":"sw","e":1,"h":"H","n":1,"k":"a\u0001","v":1,"l":1})", ErrorCode::BadFrame, "sw.k"},
      {R"({"t":"sw","e":1,"h":"bad id!","n":1,"k":"k","v":1,"l":1})", ErrorCode::BadFrame, "sw.h"},
      {R"({"t":"sw","e":1,"n":1,"k":"k","v":1,"l":1})", ErrorCode::BadFrame, "sw.h"},
      {R"({"t":"sw","e":1.5,"h":"H","n":1,"k":"k","v":1,"l":1})", ErrorCode::BadFrame, "sw.e"},
      {R"({"t":"sw","e":-1,"h":"H","n":1,"k":"k","v":1,"l":1})", ErrorCode::BadFrame, "sw.e"},
      {R"({"t":"sw","e":9007199254740992,"h":"H","n":1,"k":"k","v":1,"l":1})", ErrorCode::BadFrame, "sw.e"},
      {R"({"t":"sc","e":1,"h":"H","s":1,"w":"W","n":1,"k":"k","l":1})", ErrorCode::BadFrame, "sc.x"},
      {R"({"t":"sc","e":1,"h":"H","s":1,"w":"W","n":1,"k":"k","l":1,"x":"00ff"})", ErrorCode::BadFrame, "sc.x"},
      {R"({"t":"sc","e":1,"h":"H","s":1,"w":"W","n":1,"k":"k","l":1,"x":"000000000000000g"})", ErrorCode::BadFrame, "sc.x"},
      {R"({"t":"sc","e":1,"h":"H","s":0,"w":"W","n":1,"k":"k","l":1,"x":"00000000000000ff"})", ErrorCode::BadFrame, "sc.s"},
      {R"({"t":"sc","e":1,"h":"H","s":1,"n":1,"k":"k","l":1,"x":"00000000000000ff"})", ErrorCode::BadFrame, "sc.w"},
      {R"({"t":"sr","e":0,"s":0})", ErrorCode::BadFrame, "sr.q"},
      {R"({"t":"sr","q":1,"e":0,"h":"H","s":0})", ErrorCode::BadFrame, "sr.h"},
      {R"({"t":"sr","q":1,"e":0,"s":0,"full":1})", ErrorCode::BadFrame, "sr.full"},
      {R"({"t":"sh","q":1,"e":1,"h":"H","s":1,"x":"00000000000000ff","i":1,"of":1,"entries":[]})", ErrorCode::BadFrame, "sh.i"},
      {R"({"t":"sh","q":1,"e":1,"h":"H","s":1,"x":"00000000000000ff","i":0,"of":0,"entries":[]})", ErrorCode::BadFrame, "sh.of"},
      {R"({"t":"sh","q":1,"e":1,"h":"H","s":1,"x":"00000000000000ff","i":0,"of":1})", ErrorCode::BadFrame, "sh.entries"},
      {R"({"t":"sh","q":1,"e":1,"h":"H","s":1,"x":"00000000000000ff","i":0,"of":1,"entries":[1]})", ErrorCode::BadFrame, "sh.entries"},
      {R"({"t":"sh","q":1,"e":1,"h":"H","s":1,"x":"00000000000000ff","i":0,"of":1,"entries":[{"k":"a","l":0,"p":"P"}]})", ErrorCode::BadFrame, "l"},
      {R"({"t":"sh","q":1,"e":1,"h":"H","s":1,"x":"00000000000000ff","i":0,"of":1,"entries":[{"k":"a","v":{,"l":1,"p":"P"}]})", ErrorCode::BadJson, ""},
      {R"({"t":"sh","q":1,"e":1,"h":"H","s":1,"x":"00000000000000ff","i":0,"of":1,"entries":[],"applied":[{"p":"P"}]})", ErrorCode::BadFrame, "n"},
      {R"({"t":"sf","e":0,"s":1,"x":"00000000000000ff"})", ErrorCode::BadFrame, "sf.e"},
      {R"({"t":"sq","q":0})", ErrorCode::BadFrame, "sq.q"},
      {R"({"t":"sa","q":0,"e":0,"s":0})", ErrorCode::BadFrame, "sa.x"},
      {R"({"t":"ss","q":1,"e":1,"h":"H","pe":1,"ph":"G","s":0,"x":"00000000000000ff"})", ErrorCode::BadFrame, "ss.e"},
  };
  for (const auto& b : bad) {
    SCOPED_TRACE(b.text);
    auto decoded = decodeStateFrame(b.text);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().code, b.code) << decoded.error().message;
    EXPECT_NE(decoded.error().message.find(b.mentions), std::string::npos) << decoded.error().message;
  }
}

TEST(StateFrames, ValuesFollowTheAppDataRules) {
  std::string deep = std::string(40, '[') + std::string(40, ']');
  std::string frame = R"({"t":"sw","e":1,"h":"H","n":1,"k":"k","l":1,"v":)" + deep + "}";
  auto decoded = decodeStateFrame(frame);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, ErrorCode::BadFrame);
  EXPECT_NE(decoded.error().message.find("sw.v"), std::string::npos);
  std::string big = "\"" + std::string(limits::kMaxStateValueBytes, 'x') + "\"";
  decoded = decodeStateFrame(R"({"t":"sw","e":1,"h":"H","n":1,"k":"k","l":1,"v":)" + big + "}");
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("sw.v"), std::string::npos);
  auto tooLarge = decodeStateFrame(std::string(limits::kMaxFrameBytes + 1, ' '));
  ASSERT_FALSE(tooLarge.ok());
  EXPECT_EQ(tooLarge.error().code, ErrorCode::FrameTooLarge);
  EXPECT_TRUE(checkStateKey("ok").ok());
  EXPECT_FALSE(checkStateKey(std::string(limits::kMaxStateKeyBytes + 1, 'k')).ok());
}

// Valid frames with random bytes changed, removed or added: each is decoded or refused, never
// thrown over, and what decodes encodes to a frame that decodes the same.
TEST(StateFrames, MangledFramesAreDecodedOrRefusedNeverThrown) {
  const std::vector<std::string> valid = {
      encodeStateFrame(StateWrite{kEpoch, 4, "key", std::string(R"({"a":[1,"x"]})"), 9}),
      encodeStateFrame(StateChange{kEpoch, 7, "writer", 2, "k\u00e9", std::string("null"), 5, 77}),
      encodeStateFrame(StateRequest{1, Position{kEpoch, 3}, true}),
      encodeStateFrame(StateSnapshot{2, Position{kEpoch, 8}, 42, 0, 2, {{"a", std::string("1"), 3, "p1"}}, {{"p1", 3}}}),
      encodeStateFrame(StateHash{Position{kEpoch, 8}, 1}),
      encodeStateFrame(StateAnswer{5, Position{kEpoch, 8}, 1, false}),
      encodeStateFrame(StateRebase{5, Epoch{4, "B"}, kEpoch, 8, 7}),
  };
  std::mt19937 rng(14);
  const std::string alphabet = "{}[]\",:0123456789-eE.truefalsn\\u \x01\xff";
  for (int round = 0; round < 20000; ++round) {
    std::string text = valid[rng() % valid.size()];
    for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0 && !text.empty(); --edits) {
      std::size_t at = rng() % text.size();
      char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: text[at] = c; break;
        case 1: text.erase(at, 1); break;
        default: text.insert(at, 1, c); break;
      }
    }
    Result<StateFrame> decoded = decodeStateFrame(text);
    if (!decoded.ok()) {
      EXPECT_FALSE(decoded.error().message.empty()) << text;
      continue;
    }
    std::string again = encodeStateFrame(decoded.value());
    auto redecoded = decodeStateFrame(again);
    ASSERT_TRUE(redecoded.ok()) << text << " -> " << again;
    EXPECT_EQ(encodeStateFrame(redecoded.value()), again);
  }
}

TEST(StateFrames, AMessageIsAFrameOrABatchTakenInOrder) {
  std::string w = encodeStateFrame(StateWrite{kEpoch, 1, "a", std::string("1"), 2});
  std::string q = encodeStateFrame(StateQuery{5});
  auto one = decodeStateMessage(w);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one.value().size(), 1u);
  auto batch = decodeStateMessage(" [" + w + "," + q + "," + w + "]");
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  ASSERT_EQ(batch.value().size(), 3u);
  EXPECT_TRUE(std::holds_alternative<StateWrite>(batch.value()[0]));
  EXPECT_EQ(std::get<StateQuery>(batch.value()[1]).q, 5u);
  // One bad frame refuses the whole batch, with its own error; so do an empty batch and an
  // element that is not a frame.
  auto bad = decodeStateMessage("[" + w + R"(,{"t":"sq","q":0}])");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::BadFrame);
  EXPECT_NE(bad.error().message.find("q"), std::string::npos) << bad.error().message;
  EXPECT_EQ(decodeStateMessage("[]").error().code, ErrorCode::BadFrame);
  EXPECT_EQ(decodeStateMessage("[" + w + ",1]").error().code, ErrorCode::BadFrame);
  EXPECT_EQ(decodeStateMessage(R"([{"q":1}])").error().code, ErrorCode::BadFrame);
  EXPECT_EQ(decodeStateMessage("[" + w).error().code, ErrorCode::BadJson);
}

TEST(StateFrames, TheOutboxBatchesRunsToOneTargetInOrderUnderItsCap) {
  StateOutbox outbox(40);
  outbox.add("", R"({"t":"a"})");
  outbox.add("", R"({"t":"b"})");
  outbox.add("P1", R"({"t":"c"})");
  outbox.add("", R"({"t":"d"})");
  for (int i = 0; i < 5; ++i) outbox.add("P2", R"({"t":"e"})");  // 9 bytes and a comma each: 3 fit in 40
  auto out = outbox.take();
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0].to, "");
  EXPECT_EQ(out[0].text, R"([{"t":"a"},{"t":"b"}])");
  EXPECT_EQ(out[1].to, "P1");
  EXPECT_EQ(out[1].text, R"({"t":"c"})");  // alone: itself
  EXPECT_EQ(out[2].text, R"({"t":"d"})");
  EXPECT_EQ(out[3].to, "P2");
  EXPECT_EQ(out[3].text, R"([{"t":"e"},{"t":"e"},{"t":"e"}])");
  EXPECT_LE(out[3].text.size(), 40u);
  EXPECT_EQ(out[4].text, R"([{"t":"e"},{"t":"e"}])");
  EXPECT_TRUE(outbox.take().empty());
}

}  // namespace
}  // namespace huddle::state
