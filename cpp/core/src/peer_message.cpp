// Wire form of peer frames (docs/protocol.md "Peer frames").
#include "huddle/peer_message.hpp"

#include <type_traits>

#include "detail/json_fields.hpp"
#include "huddle/limits.hpp"

namespace huddle {

using detail::Fields;
using nlohmann::json;

Result<PeerMessage> decodePeerMessage(std::string_view text) {
  auto parsed = detail::parseFrame(text, limits::kMaxFrameBytes);
  if (!parsed) return parsed.error();
  return peerMessageFromJson(parsed.value());
}

Result<std::vector<PeerMessage>> decodeLinkMessage(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '[') {
    auto one = decodePeerMessage(text);
    if (!one) return one.error();
    return std::vector<PeerMessage>{std::move(one).value()};
  }
  auto parsed = detail::parseJsonText(text, limits::kMaxFrameBytes, detail::kMaxJsonDepth);
  if (!parsed) return parsed.error();
  const json& batch = parsed.value();
  if (batch.empty() || batch.size() > kMaxFramesPerBatch) {
    return Error{ErrorCode::BadFrame, "a batch holds 1 to " + std::to_string(kMaxFramesPerBatch) + " frames"};
  }
  std::vector<PeerMessage> out;
  out.reserve(batch.size());
  for (const auto& frame : batch) {
    auto decoded = peerMessageFromJson(frame);
    if (!decoded) return decoded.error();
    out.push_back(std::move(decoded).value());
  }
  return out;
}

Result<PeerMessage> peerMessageFromJson(const json& frame) {
  auto t = frame.is_object() ? frame.find("t") : frame.end();
  if (!frame.is_object() || t == frame.end() || !t->is_string()) {
    return Error{ErrorCode::BadFrame, "a peer frame is an object with a string field \"t\""};
  }
  const auto& type = t->get_ref<const std::string&>();
  Fields f(frame, type);
  PeerMessage out;
  if (type == "msg") {
    AppMessage m;
    m.seq = f.unsignedInt("seq");
    m.id = f.unsignedInt("id");
    m.ts = f.number("ts");
    m.broadcast = f.optionalBool("broadcast").value_or(true);
    m.data = f.any("data");
    if (f.ok() && m.seq == 0) f.fail("seq", "must be at least 1");
    out = std::move(m);
  } else if (type == "umsg") {
    UnreliableMessage m;
    m.epoch = f.unsignedInt("e");
    m.n = f.unsignedInt("n");
    m.id = f.unsignedInt("id");
    m.ts = f.number("ts");
    m.broadcast = f.optionalBool("broadcast").value_or(true);
    m.data = f.any("data");
    if (f.ok() && (m.epoch == 0 || m.n == 0)) f.fail(m.epoch == 0 ? "e" : "n", "must be at least 1");
    out = std::move(m);
  } else if (type == "ack") {
    out = Ack{f.unsignedInt("seq")};
  } else if (type == "sync") {
    StreamSync m{f.unsignedInt("e"), f.unsignedInt("seq"), f.optionalBool("batch").value_or(false)};
    if (f.ok() && (m.epoch == 0 || m.seq == 0)) f.fail(m.epoch == 0 ? "e" : "seq", "must be at least 1");
    out = m;
  } else if (type == "ping") {
    out = LinkPing{f.number("ts")};
  } else if (type == "pong") {
    out = LinkPong{f.number("ts")};
  } else {
    return Error{ErrorCode::UnknownType, "unknown peer frame type \"" + type.substr(0, 32) + "\""};
  }
  if (!f.ok()) return f.error();
  return out;
}

json toJson(const PeerMessage& message) {
  return std::visit(
      [](const auto& m) -> json {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, AppMessage>) {
          json o = {{"t", "msg"}, {"seq", m.seq}, {"id", m.id}, {"ts", m.ts}, {"data", m.data}};
          if (!m.broadcast) o["broadcast"] = false;
          return o;
        } else if constexpr (std::is_same_v<T, Ack>) {
          return {{"t", "ack"}, {"seq", m.seq}};
        } else if constexpr (std::is_same_v<T, LinkPing>) {
          return {{"t", "ping"}, {"ts", m.ts}};
        } else if constexpr (std::is_same_v<T, StreamSync>) {
          json o = {{"t", "sync"}, {"e", m.epoch}, {"seq", m.seq}};
          if (m.batches) o["batch"] = true;
          return o;
        } else if constexpr (std::is_same_v<T, UnreliableMessage>) {
          json o = {{"t", "umsg"}, {"e", m.epoch}, {"n", m.n}, {"id", m.id}, {"ts", m.ts}, {"data", m.data}};
          if (!m.broadcast) o["broadcast"] = false;
          return o;
        } else {
          static_assert(std::is_same_v<T, LinkPong>);
          return {{"t", "pong"}, {"ts", m.ts}};
        }
      },
      message);
}

std::string encode(const PeerMessage& message) {
  return toJson(message).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace huddle
