// Wire form of server -> client frames (docs/protocol.md "Server frames").
#include <type_traits>

#include "detail/json_fields.hpp"
#include "detail/text_fields.hpp"
#include "detail/signal_payload.hpp"
#include "huddle/codec.hpp"
#include "huddle/limits.hpp"

namespace huddle {
namespace {

using detail::Fields;
using nlohmann::json;

constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxTextBytes = 1024;

json writePeer(const PeerInfo& p) {
  return {{"id", p.id}, {"name", p.name}, {"joinOrder", p.joinOrder}};
}

PeerInfo readPeer(const json& j, Fields& outer, const char* key) {
  PeerInfo p;
  if (!j.is_object()) {
    outer.fail(key, "expected a peer object");
    return p;
  }
  Fields f(j, "peer");
  p.id = f.string("id", kMaxIdBytes);
  p.name = f.string("name", kMaxTextBytes);
  p.joinOrder = f.unsignedInt("joinOrder");
  if (!f.ok()) outer.fail(key, f.error().message);
  return p;
}

// welcome.rate: each figure a positive number; the byte burst at least one frame, or no frame
// of the largest size could ever be sent.
RateLimits readRate(const json& j, Fields& outer) {
  RateLimits r;
  Fields f(j, "rate");
  auto positive = [&](const char* key, double min) {
    double v = f.number(key);
    if (f.ok() && !(v >= min && v <= 1e12)) f.fail(key, "expected a number from " + std::to_string(min));
    return v;
  };
  r.framesPerSecond = positive("frames", 1);
  r.frameBurst = positive("frameBurst", 1);
  r.bytesPerSecond = positive("bytes", 1);
  r.byteBurst = positive("byteBurst", static_cast<double>(limits::kMaxFrameBytes));
  if (!f.ok()) {
    outer.fail("rate", f.error().message);
    return RateLimits{};
  }
  return r;
}

bool readLeaveReason(const std::string& name, LeaveReason& out) {
  for (auto r : {LeaveReason::Left, LeaveReason::Disconnected, LeaveReason::TimedOut}) {
    if (leaveReasonName(r) == name) {
      out = r;
      return true;
    }
  }
  return false;
}

template <typename T>
Result<ServerMessage> finish(Fields& f, T message) {
  if (!f.ok()) return f.error();
  return ServerMessage{std::move(message)};
}

}  // namespace

Result<ServerMessage> decodeServerMessage(std::string_view text) {
  auto parsed = detail::parseFrame(text, limits::kMaxFrameBytes);
  if (!parsed) return parsed.error();
  const json& frame = parsed.value();
  const auto& type = frame["t"].get_ref<const std::string&>();
  Fields f(frame, type);

  if (type == "welcome") {
    Welcome m;
    m.version = f.integer("v", 0, 1 << 20);
    m.id = f.string("id", kMaxIdBytes);
    m.iceServers = f.array("iceServers");
    m.maxFrameBytes = static_cast<std::size_t>(f.optionalUnsigned("maxFrameBytes").value_or(limits::kMaxFrameBytes));
    m.token = f.optionalString("token", kMaxIdBytes).value_or("");
    m.resumed = f.optionalBool("resumed").value_or(false);
    if (const json* rate = f.optionalObject("rate")) m.rate = readRate(*rate, f);
    return finish(f, std::move(m));
  }
  if (type == "room_joined") {
    RoomJoined m;
    m.code = f.string("code", limits::kMaxRoomNameChars);
    m.you = f.string("you", kMaxIdBytes);
    m.host = f.string("host", kMaxIdBytes);
    m.maxMembers = f.integer("maxMembers", 1, 1000);
    const json& peers = f.array("peers");
    if (f.ok()) {
      for (const auto& p : peers) m.peers.push_back(readPeer(p, f, "peers"));
    }
    m.relayOnly = f.optionalBool("relayOnly").value_or(false);
    return finish(f, std::move(m));
  }
  if (type == "peer_joined") {
    PeerJoined m;
    const json& peer = f.object("peer");
    if (f.ok()) m.peer = readPeer(peer, f, "peer");
    return finish(f, std::move(m));
  }
  if (type == "peer_left") {
    PeerLeft m;
    m.id = f.string("id", kMaxIdBytes);
    std::string reason = f.string("reason", 32);
    if (f.ok() && !readLeaveReason(reason, m.reason)) f.fail("reason", "unknown reason");
    return finish(f, std::move(m));
  }
  if (type == "host_changed") return finish(f, HostChanged{f.string("host", kMaxIdBytes)});
  if (type == "peer_away") return finish(f, PeerAway{f.string("id", kMaxIdBytes)});
  if (type == "peer_back") {
    PeerBack m;
    m.id = f.string("id", kMaxIdBytes);
    m.fresh = f.optionalBool("fresh").value_or(false);
    return finish(f, std::move(m));
  }
  if (type == "signal") {
    SignalIn m;
    m.from = f.string("from", kMaxIdBytes);
    const json& data = f.any("data");
    if (f.ok()) m.data = detail::readSignalPayload(data, f);
    return finish(f, std::move(m));
  }
  if (type == "relay") {
    RelayIn m;
    m.from = f.string("from", kMaxIdBytes);
    m.seq = f.unsignedInt("seq");
    m.broadcast = f.optionalBool("broadcast").value_or(true);
    m.data = detail::dumpJson(f.any("data"));
    return finish(f, std::move(m));
  }
  if (type == "error") {
    ErrorFrame m;
    std::string code = f.string("code", 64);
    m.message = f.string("message", kMaxTextBytes);
    m.ref = f.optionalString("ref", 64).value_or("");
    // A code this build does not know (a newer server) still arrives, as Internal.
    if (f.ok() && !errorCodeFromName(code, m.code)) m.code = ErrorCode::Internal;
    return finish(f, std::move(m));
  }
  if (type == "pong") return finish(f, Pong{f.optionalUnsigned("id").value_or(0)});
  return Error{ErrorCode::UnknownType, "unknown frame type \"" + type.substr(0, 32) + "\""};
}

std::string encode(const ServerMessage& message) {
  // Relay data is JSON text already: spliced in, not parsed into the tree and written out again.
  if (const auto* relay = std::get_if<RelayIn>(&message)) {
    std::string out = R"({"t":"relay","from":)" + detail::dumpJson(relay->from) + R"(,"seq":)";
    detail::appendUnsigned(out, relay->seq);
    out += relay->broadcast ? R"(,"broadcast":true)" : R"(,"broadcast":false)";
    return out + R"(,"data":)" + relay->data + "}";
  }
  json j = std::visit(
      [](const auto& m) -> json {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Welcome>) {
          json o = {{"t", "welcome"}, {"v", m.version}, {"id", m.id},
                    {"iceServers", m.iceServers}, {"maxFrameBytes", m.maxFrameBytes}};
          if (!m.token.empty()) o["token"] = m.token;
          if (m.resumed) o["resumed"] = true;
          o["rate"] = {{"frames", m.rate.framesPerSecond}, {"frameBurst", m.rate.frameBurst},
                       {"bytes", m.rate.bytesPerSecond}, {"byteBurst", m.rate.byteBurst}};
          return o;
        } else if constexpr (std::is_same_v<T, RoomJoined>) {
          json peers = json::array();
          for (const auto& p : m.peers) peers.push_back(writePeer(p));
          json o = {{"t", "room_joined"}, {"code", m.code},       {"you", m.you},
                    {"host", m.host},     {"maxMembers", m.maxMembers}, {"peers", peers}};
          if (m.relayOnly) o["relayOnly"] = true;
          return o;
        } else if constexpr (std::is_same_v<T, PeerJoined>) {
          return {{"t", "peer_joined"}, {"peer", writePeer(m.peer)}};
        } else if constexpr (std::is_same_v<T, PeerLeft>) {
          return {{"t", "peer_left"}, {"id", m.id}, {"reason", leaveReasonName(m.reason)}};
        } else if constexpr (std::is_same_v<T, HostChanged>) {
          return {{"t", "host_changed"}, {"host", m.host}};
        } else if constexpr (std::is_same_v<T, SignalIn>) {
          return {{"t", "signal"}, {"from", m.from}, {"data", detail::writeSignalPayload(m.data)}};
        } else if constexpr (std::is_same_v<T, RelayIn>) {
          return {};  // (above)
        } else if constexpr (std::is_same_v<T, ErrorFrame>) {
          json o = {{"t", "error"}, {"code", errorCodeName(m.code)}, {"message", m.message}};
          if (!m.ref.empty()) o["ref"] = m.ref;
          return o;
        } else if constexpr (std::is_same_v<T, PeerAway>) {
          return {{"t", "peer_away"}, {"id", m.id}};
        } else if constexpr (std::is_same_v<T, PeerBack>) {
          json o = {{"t", "peer_back"}, {"id", m.id}};
          if (m.fresh) o["fresh"] = true;
          return o;
        } else {
          static_assert(std::is_same_v<T, Pong>);
          return {{"t", "pong"}, {"id", m.id}};
        }
      },
      message);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string frameType(std::string_view text) {
  if (text.size() > limits::kMaxFrameBytes) return {};
  auto parsed = detail::parseFrame(text, limits::kMaxFrameBytes);
  if (!parsed) return {};
  return parsed.value()["t"].get<std::string>().substr(0, 32);
}

}  // namespace huddle
