// The server's hot-path reader (huddle/route.hpp, wire/json_scan.hpp) against the full decoder
// (decodeClientMessage): the frames huddle's clients send take the hot path, and on a corpus of
// generated, mutated, truncated and hostile frames, whatever the hot path accepts the full decoder
// accepts too, with the same recipients, sequence numbers and payloads.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "detail/text_fields.hpp"
#include "detail/signal_payload.hpp"
#include "huddle/codec.hpp"
#include "huddle/route.hpp"
#include "wire/json_scan.hpp"
#include "wire/server_frames.hpp"

namespace huddle {
namespace {

using nlohmann::json;

// ---- the frames clients send take the hot path ----------------------------------------------

TEST(Route, DirectedRelayKeepsTheDataAsItCame) {
  auto r = readRoute(R"({"t":"relay","to":"ABCDEFGHJK","seq":7,"data":{"k" : [1, 2.50, "é\n"]}})");
  ASSERT_TRUE(r && std::holds_alternative<RouteRelay>(*r));
  const auto& relay = std::get<RouteRelay>(*r);
  EXPECT_EQ(relay.to, "ABCDEFGHJK");
  EXPECT_EQ(relay.seq, 7u);
  EXPECT_EQ(relay.data, R"({"k" : [1, 2.50, "é\n"]})");
  EXPECT_EQ(relay.partCount, 0u);
}

TEST(Route, BroadcastRelayHasNoRecipient) {
  auto r = readRoute(R"( {"data":null,"seq":0,"t":"relay"} )");
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<RouteRelay>(*r).to, "");
  EXPECT_EQ(std::get<RouteRelay>(*r).data, "null");
}

TEST(Route, RelayPartsEachKeepTheirRecipientAndData) {
  auto r = readRoute(R"({"t":"relay","seq":3,"parts":[{"to":"A","data":[1]},{"data":"x","to":"B","extra":1}]})");
  ASSERT_TRUE(r);
  const auto& relay = std::get<RouteRelay>(*r);
  ASSERT_EQ(relay.partCount, 2u);
  EXPECT_EQ(relay.parts[0].to, "A");
  EXPECT_EQ(relay.parts[0].data, "[1]");
  EXPECT_EQ(relay.parts[1].to, "B");
  EXPECT_EQ(relay.parts[1].data, R"("x")");
}

TEST(Route, SignalsOfEveryKindTakeTheHotPath) {
  for (std::string data : {R"({"kind":"offer","sdp":"v=0\r\n"})", R"({"kind":"answer","sdp":""})",
                           R"({"kind":"ice_candidate","candidate":"candidate:1 1 udp 1 10.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0})",
                           R"({"kind":"ice_candidate","candidate":""})"}) {
    std::string frame = R"({"t":"signal","to":"ABCDEFGHJK","data":)" + data + "}";
    auto r = readRoute(frame);  // views into frame
    ASSERT_TRUE(r) << data;
    EXPECT_EQ(std::get<RouteSignal>(*r).data, data);
  }
}

TEST(Route, AFrameWithMoreMembersThanTheValidatorRecordsIsWalked) {
  std::string extra;
  for (int i = 0; i < 20; ++i) extra += R"("x)" + std::to_string(i) + R"(":[1,{"a":2}],)";
  std::string frame = R"({)" + extra + R"("t":"relay","seq":5,"to":"B","data":{"d":1}})";
  auto r = readRoute(frame);
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<RouteRelay>(*r).to, "B");
  EXPECT_EQ(std::get<RouteRelay>(*r).data, R"({"d":1})");
  auto repeated = readRoute(R"({)" + extra + R"("t":"relay","seq":5,"data":1,"seq":6})");
  EXPECT_FALSE(repeated);
}

TEST(Route, PingWithAndWithoutId) {
  EXPECT_EQ(std::get<RoutePing>(*readRoute(R"({"t":"ping","id":42})")).id, 42u);
  EXPECT_EQ(std::get<RoutePing>(*readRoute(R"({"t":"ping"})")).id, 0u);
}

TEST(Route, EverythingElseIsLeftToTheFullDecoder) {
  for (const char* frame : {
           R"({"t":"hello","v":1})",                                           // not a hot frame
           R"({"t":"relay","seq":-1,"data":1})",                               // out of range
           R"({"t":"relay","seq":9007199254740992,"data":1})",                 // past 2^53-1
           R"({"t":"relay","seq":1.0,"data":1})",                              // not an integer
           R"({"t":"relay","seq":1})",                                         // no data
           R"({"t":"relay","seq":1,"data":1,"data":2})",                       // repeated
           R"({"\u0074":"relay","seq":1,"data":1})",                           // escaped key
           R"({"t":"rel\u0061y","seq":1,"data":1})",                           // escaped type
           R"({"t":"relay","seq":1,"to":null,"data":1})",                      // null recipient
           R"({"t":"relay","seq":1,"parts":[]})",                              // no parts
           R"({"t":"relay","seq":1,"parts":[{"to":"A","data":1}],"data":1})",  // parts and data
           R"({"t":"signal","to":"A","data":{"kind":"offer","sdp":"x","extra":1}})",  // unknown field
           R"({"t":"signal","to":"A","data":{"kind":"ice_candidate","candidate":"c","sdpMid":null}})",
           "\xEF\xBB\xBF{\"t\":\"ping\"}",                                     // byte-order mark
           R"({"t":"ping","id":1} x)",                                         // trailing text
       }) {
    EXPECT_FALSE(readRoute(frame)) << frame;
  }
}

TEST(Route, OutgoingFramesDecodeToWhatTheCodecWrites) {
  auto relay = decodeServerMessage(wire::relayFrame("ABCDEFGHJK", 9007199254740991u, false, R"({"a":[1,"\u00e9"]})"));
  ASSERT_TRUE(relay.ok()) << relay.error().message;
  const auto& in = std::get<RelayIn>(relay.value());
  EXPECT_EQ(in.from, "ABCDEFGHJK");
  EXPECT_EQ(in.seq, 9007199254740991u);
  EXPECT_FALSE(in.broadcast);
  EXPECT_EQ(json::parse(in.data), json::parse(R"({"a":[1,"é"]})"));
  auto signal = decodeServerMessage(wire::signalFrame("B", R"({"kind":"answer","sdp":"s"})"));
  ASSERT_TRUE(signal.ok());
  EXPECT_EQ(std::get<SignalIn>(signal.value()).data.sdp, "s");
  auto pong = decodeServerMessage(wire::pongFrame(5));
  ASSERT_TRUE(pong.ok());
  EXPECT_EQ(std::get<Pong>(pong.value()).id, 5u);
}

// ---- the corpus --------------------------------------------------------------------------------

// Random JSON values with the awkward parts of the grammar: integers at the limits, exponents,
// escapes, surrogate pairs, multi-byte UTF-8, deep nesting.
class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::string value(int depth) {
    switch (pick(depth > 6 ? 4 : 7)) {
      case 0: return number();
      case 1: return string();
      case 2: return std::vector<std::string>{"true", "false", "null"}[static_cast<std::size_t>(pick(3))];
      case 3: return string();
      case 4: case 5: {
        std::string out = "{";
        for (int i = 0, n = pick(4); i < n; ++i) out += (i ? "," : "") + string() + space() + ":" + value(depth + 1);
        return out + "}";
      }
      default: {
        std::string out = "[";
        for (int i = 0, n = pick(4); i < n; ++i) out += (i ? "," : "") + space() + value(depth + 1);
        return out + "]";
      }
    }
  }

  std::string number() {
    static const std::vector<std::string> kNumbers = {
        "0", "-0", "7", "9007199254740991", "9007199254740992", "18446744073709551615",
        "18446744073709551616", "-9223372036854775808", "-9223372036854775809", "1e308", "1e309",
        "-1e400", "1e-400", "2.5", "0.1e+2", "1E2", "123456789012345678901234567890", "-0.0"};
    return kNumbers[static_cast<std::size_t>(pick(static_cast<int>(kNumbers.size())))];
  }

  std::string string() {
    static const std::vector<std::string> kPieces = {
        "a", "ABCDEFGHJK", " ", "é", "日本", "\xF0\x9F\x98\x80", "\\n", "\\\"", "\\\\", "\\/", "\\u00e9",
        "\\ud83d\\ude00", "\\u0000", "x", "\\t"};
    std::string out = "\"";
    for (int i = 0, n = pick(5); i < n; ++i) out += kPieces[static_cast<std::size_t>(pick(static_cast<int>(kPieces.size())))];
    return out + "\"";
  }

  std::string space() { return pick(4) == 0 ? " \n\t" : ""; }

  // A hot frame as a client might send it, fields in random order.
  std::string frame() {
    std::vector<std::string> fields;
    switch (pick(5)) {
      case 0:
        fields = {R"("t":"relay")", R"("to":"ABCDEFGHJK")", "\"seq\":" + std::to_string(pick(100000)), "\"data\":" + value(0)};
        break;
      case 1:
        fields = {R"("t":"relay")", "\"seq\":" + std::to_string(pick(10)), "\"data\":" + value(0)};
        break;
      case 2: {
        std::string parts = "[";
        for (int i = 0, n = 1 + pick(7); i < n; ++i) {
          parts += std::string(i ? "," : "") + R"({"to":"P)" + std::to_string(i) + R"(","data":)" + value(0) + "}";
        }
        fields = {R"("t":"relay")", "\"seq\":" + std::to_string(pick(10)), "\"parts\":" + parts + "]"};
        break;
      }
      case 3:
        fields = {R"("t":"signal")", R"("to":"ABCDEFGHJK")",
                  pick(2) ? R"("data":{"kind":"offer","sdp":)" + string() + "}"
                          : R"("data":{"candidate":)" + string() + R"(,"kind":"ice_candidate","sdpMLineIndex":)" +
                                std::to_string(pick(1100)) + "}"};
        break;
      default:
        fields = {R"("t":"ping")", "\"id\":" + number()};
    }
    std::shuffle(fields.begin(), fields.end(), rng_);
    std::string out = "{";
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + space() + fields[i];
    return out + space() + "}";
  }

  // The frame damaged: cut short, a byte changed, bytes that are not UTF-8, nesting, repeats.
  std::string mutate(std::string f) {
    static const std::vector<std::string> kInserts = {
        "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\xFF", "\x01", "\\ud800", "\\udc00",
        "\\ud83dx", "\\u12", "\\q", ",", "}", "]", "\"", ":", "[", "{", "\"t\":\"relay\",", "\"seq\":1,",
        "\"to\":\"A\",", "\"data\":2,", "\xEF\xBB\xBF", "00", "-", "1e", ".5"};
    auto at = [&] { return static_cast<std::size_t>(pick(static_cast<int>(f.size()) + 1)); };
    switch (pick(4)) {
      case 0: return f.substr(0, at());
      case 1: {
        std::size_t i = at();
        if (i < f.size()) f[i] = static_cast<char>(pick(256));
        return f;
      }
      default: return f.insert(at(), kInserts[static_cast<std::size_t>(pick(static_cast<int>(kInserts.size())))]);
    }
  }

 private:
  std::mt19937 rng_;
};

// What the full decoder made of a frame the hot path read the same way.
void expectSameAsFullDecoder(const std::string& frame, const Route& route) {
  auto full = decodeClientMessage(frame);
  ASSERT_TRUE(full.ok()) << "the hot path took a frame the full decoder refuses (" << full.error().message
                         << "): " << frame;
  if (auto* relay = std::get_if<RouteRelay>(&route)) {
    const auto& m = std::get<RelayOut>(full.value());
    EXPECT_EQ(relay->seq, m.seq) << frame;
    ASSERT_EQ(relay->partCount, m.parts.size()) << frame;
    for (std::size_t i = 0; i < relay->partCount; ++i) {
      EXPECT_EQ(relay->parts[i].to, m.parts[i].to) << frame;
      EXPECT_EQ(json::parse(relay->parts[i].data), json::parse(m.parts[i].data)) << frame;
    }
    if (relay->partCount == 0) {
      EXPECT_EQ(relay->to, m.to) << frame;
      EXPECT_EQ(json::parse(relay->data), json::parse(m.data)) << frame;
    }
  } else if (auto* signal = std::get_if<RouteSignal>(&route)) {
    const auto& m = std::get<SignalOut>(full.value());
    EXPECT_EQ(signal->to, m.to) << frame;
    EXPECT_EQ(json::parse(signal->data), json::parse(detail::writeSignalPayload(m.data))) << frame;
  } else {
    EXPECT_EQ(std::get<RoutePing>(route).id, std::get<Ping>(full.value()).id) << frame;
  }
}

TEST(RouteCorpus, GeneratedFramesTakeTheHotPathAndDecodeTheSame) {
  Generator gen(1);
  int hot = 0, total = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string frame = gen.frame();
    bool nlohmannTakesIt = json::accept(frame);
    auto route = readRoute(frame);
    ++total;
    if (route) {
      ++hot;
      expectSameAsFullDecoder(frame, *route);
    } else if (nlohmannTakesIt && decodeClientMessage(frame).ok()) {
      // Left to the full decoder although it is fine: only allowed for numbers that are not
      // integers up to 2^53-1 in seq/id/sdpMLineIndex, which the full decoder refuses anyway.
      ADD_FAILURE() << "a well-formed frame missed the hot path: " << frame;
    }
  }
  EXPECT_GT(hot, total / 2);
}

TEST(RouteCorpus, DamagedFramesAreNeverTakenUnlessTheFullDecoderTakesThem) {
  Generator gen(2);
  int hot = 0, refused = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string frame = gen.mutate(gen.frame());
    if (i % 3 == 0) frame = gen.mutate(frame);
    if (wire::isStrictJson(frame, detail::kMaxJsonDepth)) {
      EXPECT_TRUE(json::accept(frame)) << "the validator took invalid JSON: " << frame;
    }
    auto route = readRoute(frame);
    if (route) {
      ++hot;
      expectSameAsFullDecoder(frame, *route);
    } else if (!decodeClientMessage(frame).ok()) {
      ++refused;
    }
  }
  // The corpus exercises both sides.
  EXPECT_GT(hot, 500);
  EXPECT_GT(refused, 5000);
}

TEST(RouteCorpus, ValidatorAgreesWithNlohmannOnValues) {
  Generator gen(3);
  for (int i = 0; i < 20000; ++i) {
    std::string v = gen.value(0);
    if (i % 2) v = gen.mutate(v);
    bool mine = wire::isStrictJson(v, 64);
    bool theirs = json::accept(v);
    // Exactly the same verdict, except that nlohmann/json skips a leading byte-order mark, which
    // the validator refuses (no client sends one; the full decoder then reads the frame).
    if (v.starts_with("\xEF\xBB\xBF")) {
      EXPECT_FALSE(mine) << v;
    } else {
      EXPECT_EQ(mine, theirs) << v;
    }
  }
}

TEST(RouteCorpus, EverySpecialByteIsFoundWhereverItSitsInALongString) {
  // The validator skips plain ASCII 8 bytes at a time; each position of an 8-byte word counts.
  for (std::string special : {"\"", "\\", "\\n", "\x01", "\x1f", "\x7f", "\xC3\xA9", "\xFF", "\xED\xA0\x80"}) {
    for (std::size_t at = 0; at < 24; ++at) {
      std::string text = "\"" + std::string(at, 'a') + special + std::string(24, 'b') + "\"";
      EXPECT_EQ(wire::isStrictJson(text, 64), json::accept(text)) << text;
    }
  }
}

TEST(RouteCorpus, NestingLimitIsTheFrameLimit) {
  auto nested = [](int levels) {
    return R"({"t":"relay","seq":1,"data":)" + std::string(static_cast<std::size_t>(levels - 1), '[') +
           std::string(static_cast<std::size_t>(levels - 1), ']') + "}";
  };
  EXPECT_TRUE(readRoute(nested(detail::kMaxJsonDepth)));
  EXPECT_FALSE(readRoute(nested(detail::kMaxJsonDepth + 1)));
  auto refused = decodeClientMessage(nested(detail::kMaxJsonDepth + 1));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::BadFrame);
}

TEST(RouteCorpus, FramesOverTheLimitAreLeftToTheFullDecoder) {
  std::string data = "\"" + std::string(limits::kMaxFrameBytes, 'x') + "\"";
  std::string frame = R"({"t":"relay","seq":1,"data":)" + data + "}";
  EXPECT_FALSE(readRoute(frame));
  EXPECT_EQ(decodeClientMessage(frame).error().code, ErrorCode::FrameTooLarge);
}

}  // namespace
}  // namespace huddle
