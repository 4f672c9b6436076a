#include "protocol.hpp"

#include <cstring>

#include <nlohmann/json.hpp>

namespace loadgen {
namespace {

using nlohmann::json;

// Looks like a real trickled ICE candidate, the payload the relay mostly carries; no character
// that JSON escapes, so the servers pass it on byte for byte.
constexpr std::string_view kCandidate =
    "candidate:3066546372 1 udp 2122260223 192.168.1.23 54400 typ host generation 0 ufrag Xy3v "
    "network-id 1 network-cost 10 sdpMid 0 sdpMLineIndex 0 candidate:842163049 1 udp 1677729535 "
    "198.51.100.7 53705 typ srflx raddr 192.168.1.23 rport 54400 generation 0 ufrag Xy3v ";

constexpr std::size_t kStampLength = 2 + 16 + 6;  // "@@" + ts + sender

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The data string: "\"@@" + 16 ts placeholders + 6 sender digits + candidate text + "\"".
std::string dataString(std::uint32_t sender, int payloadBytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s = "\"@@0000000000000000";
  for (int i = 5; i >= 0; --i) s += kHex[(sender >> (4 * i)) & 0xF];
  s += ' ';
  const std::size_t want = static_cast<std::size_t>(payloadBytes) - 1;  // before the closing quote
  while (s.size() < want) s.append(kCandidate.substr(0, want - s.size()));
  s.resize(want);
  s += '"';
  return s;
}

}  // namespace

std::string helloFrame() { return R"({"t":"hello","v":1})"; }

std::string createFrame(std::string_view name, int maxMembers) {
  return json{{"t", "create"}, {"name", name}, {"maxMembers", maxMembers}}.dump();
}

std::string joinFrame(std::string_view code, std::string_view name) {
  return json{{"t", "join"}, {"code", code}, {"name", name}}.dump();
}

std::string wsJoinFrame(std::string_view room) { return json{{"type", "join"}, {"room", room}}.dump(); }

SetupReply parseSetupReply(Protocol protocol, std::string_view frame) {
  SetupReply r;
  const json j = json::parse(frame, nullptr, false);
  if (!j.is_object()) return r;
  const char* typeKey = protocol == Protocol::Huddle ? "t" : "type";
  const std::string type = j.value(typeKey, "");
  if (type == "error") {
    r.kind = SetupReply::Kind::Error;
    r.code = j.value("code", "?");
    r.text = j.value("message", "");
  } else if (type == "welcome" && j.contains("id")) {
    r.kind = SetupReply::Kind::Welcome;
    r.id = j["id"].dump();
  } else if (type == "room_joined") {
    r.kind = SetupReply::Kind::RoomJoined;
    r.code = j.value("code", "");
  } else if (type == "joined" && j.contains("id")) {
    r.kind = SetupReply::Kind::Joined;
    r.id = j["id"].dump();
  }
  return r;
}

RelayText relayText(Protocol protocol, Mode mode, std::string_view toToken, std::uint32_t sender, int payloadBytes) {
  RelayText r;
  const std::string data = dataString(sender, payloadBytes);
  std::string head;
  if (protocol == Protocol::Huddle) {
    head = R"({"t":"relay",)";
    if (mode == Mode::Directed) head += R"("to":)" + std::string(toToken) + ",";
    head += R"("seq":)";
    r.seqPos = head.size();
    head += "1000000000,\"data\":";
  } else {
    head = mode == Mode::Directed ? R"({"type":"signal","to":)" + std::string(toToken) + R"(,"data":)"
                                  : std::string(R"({"type":"broadcast","data":)");
  }
  r.tsPos = head.size() + 3;  // past the quote and "@@"
  r.text = head + data + "}";
  return r;
}

bool findStamp(std::string_view frame, std::uint64_t& sentNs, std::uint32_t& sender) {
  const char* p = static_cast<const char*>(std::memchr(frame.data(), '@', frame.size()));
  if (p == nullptr || p[1] != '@') return false;
  const std::size_t at = static_cast<std::size_t>(p - frame.data());
  if (frame.size() - at < kStampLength) return false;
  std::uint64_t ts = 0;
  std::uint32_t who = 0;
  for (std::size_t i = 2; i < 18; ++i) {
    const int v = hexValue(p[i]);
    if (v < 0) return false;
    ts = (ts << 4) | static_cast<std::uint64_t>(v);
  }
  for (std::size_t i = 18; i < kStampLength; ++i) {
    const int v = hexValue(p[i]);
    if (v < 0) return false;
    who = (who << 4) | static_cast<std::uint32_t>(v);
  }
  sentNs = ts;
  sender = who;
  return true;
}

std::string_view errorCode(std::string_view frame) {
  // huddle: "t":"error"; ws relay: "type":"error". Both put the code in "code":"...".
  if (frame.find(R"(:"error")") == std::string_view::npos) return {};
  constexpr std::string_view kKey = R"("code":")";
  const auto at = frame.find(kKey);
  if (at == std::string_view::npos) return "unknown";
  const auto begin = at + kKey.size();
  const auto end = frame.find('"', begin);
  if (end == std::string_view::npos) return "unknown";
  return frame.substr(begin, end - begin);
}

}  // namespace loadgen
