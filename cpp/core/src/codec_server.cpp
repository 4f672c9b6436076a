// Wire form of server -> client frames (docs/protocol.md "Server frames").
#include "detail/signal_payload.hpp"
#include "detail/text_fields.hpp"
#include "huddle/codec.hpp"
#include "huddle/limits.hpp"

namespace huddle {
namespace {

using detail::JsonObject;
using detail::TextFields;

constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxTextBytes = 1024;

std::string writePeer(const PeerInfo& p) {
  JsonObject o;
  o.string("id", p.id).string("name", p.name).unsignedInt("joinOrder", p.joinOrder);
  return std::move(o).close();
}

PeerInfo readPeer(std::string_view text, TextFields& outer, const char* key) {
  PeerInfo p;
  if (wire::kindOf(text) != wire::JsonKind::Object) {
    outer.fail(key, "expected a peer object");
    return p;
  }
  TextFields f(text);
  f.setType("peer");
  p.id = f.string("id", kMaxIdBytes);
  p.name = f.string("name", kMaxTextBytes);
  p.joinOrder = f.unsignedInt("joinOrder");
  if (!f.ok()) outer.fail(key, f.error().message);
  return p;
}

// welcome.rate: each figure a positive number; the byte burst at least one frame, or no frame
// of the largest size could ever be sent.
RateLimits readRate(std::string_view text, TextFields& outer) {
  RateLimits r;
  TextFields f(text);
  f.setType("rate");
  // (min is an integer: std::to_string of a double would need printf's float formatting in Wasm.)
  auto positive = [&](const char* key, std::uint64_t min) {
    double v = f.number(key);
    if (f.ok() && !(v >= static_cast<double>(min) && v <= 1e12)) {
      f.fail(key, "expected a number from " + std::to_string(min) + " to 10^12");
    }
    return v;
  };
  r.framesPerSecond = positive("frames", 1);
  r.frameBurst = positive("frameBurst", 1);
  r.bytesPerSecond = positive("bytes", 1);
  r.byteBurst = positive("byteBurst", limits::kMaxFrameBytes);
  if (f.has("relayBytes") || f.has("relayByteBurst")) {
    r.relayBytesPerSecond = positive("relayBytes", 1);
    r.relayByteBurst = positive("relayByteBurst", limits::kMaxFrameBytes);
  }
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
Result<ServerMessage> finish(TextFields& f, T message) {
  if (!f.ok()) return f.error();
  return ServerMessage{std::move(message)};
}

}  // namespace

Result<ServerMessage> decodeServerMessage(std::string_view text) {
  auto fields = detail::frameFields(text, limits::kMaxFrameBytes);
  if (!fields) return fields.error();
  TextFields& f = fields.value();
  const std::string& type = f.type();

  if (type == "welcome") {
    Welcome m;
    m.version = f.integer("v", 0, 1 << 20);
    m.id = f.string("id", kMaxIdBytes);
    m.iceServers = f.array("iceServers");
    m.maxFrameBytes = static_cast<std::size_t>(f.optionalUnsigned("maxFrameBytes").value_or(limits::kMaxFrameBytes));
    m.token = f.optionalString("token", kMaxIdBytes).value_or("");
    m.resumed = f.optionalBool("resumed").value_or(false);
    if (auto rate = f.optionalObject("rate")) m.rate = readRate(*rate, f);
    m.roomIdleMs = f.optionalUnsigned("roomIdleMs").value_or(0);
    return finish(f, std::move(m));
  }
  if (type == "room_joined") {
    RoomJoined m;
    m.code = f.string("code", limits::kMaxRoomNameChars);
    m.you = f.string("you", kMaxIdBytes);
    m.host = f.string("host", kMaxIdBytes);
    m.maxMembers = f.integer("maxMembers", 1, 1000);
    std::string_view peers = f.array("peers");
    if (f.ok()) {
      wire::JsonCursor cursor(peers);
      std::string_view peer;
      while (cursor.nextElement(peer)) m.peers.push_back(readPeer(peer, f, "peers"));
    }
    m.relayOnly = f.optionalBool("relayOnly").value_or(false);
    m.password = f.optionalBool("password").value_or(false);
    return finish(f, std::move(m));
  }
  if (type == "peer_joined") {
    PeerJoined m;
    std::string_view peer = f.object("peer");
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
    std::string_view data = f.any("data");
    if (f.ok()) m.data = detail::readSignalPayload(data, f);
    return finish(f, std::move(m));
  }
  if (type == "relay") {
    RelayIn m;
    m.from = f.string("from", kMaxIdBytes);
    m.seq = f.unsignedInt("seq");
    m.broadcast = f.optionalBool("broadcast").value_or(true);
    m.data = f.any("data");
    return finish(f, std::move(m));
  }
  if (type == "error") {
    ErrorFrame m;
    std::string code = f.string("code", 64);
    m.message = f.string("message", kMaxTextBytes);
    m.ref = f.optionalString("ref", 64).value_or("");
    m.retryMs = f.optionalUnsigned("retryMs").value_or(0);
    // A code this build does not know (a newer server) still arrives, as Internal.
    if (f.ok() && !errorCodeFromName(code, m.code)) m.code = ErrorCode::Internal;
    return finish(f, std::move(m));
  }
  if (type == "pong") return finish(f, Pong{f.optionalUnsigned("id").value_or(0)});
  return Error{ErrorCode::UnknownType, "unknown frame type \"" + type.substr(0, 32) + "\""};
}

std::string encode(const ServerMessage& message) {
  // Relay data is JSON text already: spliced in as written.
  if (const auto* relay = std::get_if<RelayIn>(&message)) {
    std::string out = R"({"t":"relay","from":)";
    detail::appendString(out, relay->from);
    out += R"(,"seq":)";
    detail::appendUnsigned(out, relay->seq);
    out += relay->broadcast ? R"(,"broadcast":true)" : R"(,"broadcast":false)";
    return out + R"(,"data":)" + relay->data + "}";
  }
  return std::visit(
      [](const auto& m) -> std::string {
        using T = std::decay_t<decltype(m)>;
        JsonObject o;
        if constexpr (std::is_same_v<T, Welcome>) {
          o.string("t", "welcome").integer("v", m.version).string("id", m.id);
          o.raw("iceServers", m.iceServers).unsignedInt("maxFrameBytes", m.maxFrameBytes);
          if (!m.token.empty()) o.string("token", m.token);
          if (m.resumed) o.boolean("resumed", true);
          JsonObject rate;
          rate.number("frames", m.rate.framesPerSecond).number("frameBurst", m.rate.frameBurst);
          rate.number("bytes", m.rate.bytesPerSecond).number("byteBurst", m.rate.byteBurst);
          rate.number("relayBytes", m.rate.relayBytesPerSecond).number("relayByteBurst", m.rate.relayByteBurst);
          o.raw("rate", std::move(rate).close());
          if (m.roomIdleMs > 0) o.unsignedInt("roomIdleMs", m.roomIdleMs);
        } else if constexpr (std::is_same_v<T, RoomJoined>) {
          std::string peers = "[";
          for (const auto& p : m.peers) {
            if (peers.size() > 1) peers += ',';
            peers += writePeer(p);
          }
          peers += ']';
          o.string("t", "room_joined").string("code", m.code).string("you", m.you).string("host", m.host);
          o.integer("maxMembers", m.maxMembers).raw("peers", peers);
          if (m.relayOnly) o.boolean("relayOnly", true);
          if (m.password) o.boolean("password", true);
        } else if constexpr (std::is_same_v<T, PeerJoined>) {
          o.string("t", "peer_joined").raw("peer", writePeer(m.peer));
        } else if constexpr (std::is_same_v<T, PeerLeft>) {
          o.string("t", "peer_left").string("id", m.id).string("reason", leaveReasonName(m.reason));
        } else if constexpr (std::is_same_v<T, HostChanged>) {
          o.string("t", "host_changed").string("host", m.host);
        } else if constexpr (std::is_same_v<T, SignalIn>) {
          o.string("t", "signal").string("from", m.from).raw("data", detail::writeSignalPayload(m.data));
        } else if constexpr (std::is_same_v<T, RelayIn>) {
          // (above)
        } else if constexpr (std::is_same_v<T, ErrorFrame>) {
          o.string("t", "error").string("code", errorCodeName(m.code)).string("message", m.message);
          if (!m.ref.empty()) o.string("ref", m.ref);
          if (m.retryMs > 0) o.unsignedInt("retryMs", m.retryMs);
        } else if constexpr (std::is_same_v<T, PeerAway>) {
          o.string("t", "peer_away").string("id", m.id);
        } else if constexpr (std::is_same_v<T, PeerBack>) {
          o.string("t", "peer_back").string("id", m.id);
          if (m.fresh) o.boolean("fresh", true);
        } else {
          static_assert(std::is_same_v<T, Pong>);
          o.string("t", "pong").unsignedInt("id", m.id);
        }
        return std::move(o).close();
      },
      message);
}

std::string frameType(std::string_view text) {
  auto fields = detail::frameFields(text, limits::kMaxFrameBytes);
  if (!fields) return {};
  return fields.value().type().substr(0, 32);
}

}  // namespace huddle
