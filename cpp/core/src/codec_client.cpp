// Wire form of client -> server frames (docs/protocol.md "Client frames").
#include <type_traits>

#include "detail/json_fields.hpp"
#include "detail/signal_payload.hpp"
#include "detail/text_fields.hpp"
#include "huddle/codec.hpp"
#include "huddle/limits.hpp"

namespace huddle {
namespace {

using detail::Fields;
using nlohmann::json;

// Names are checked for meaning by the room (normalizeName); here only for type and a byte bound
// generous enough for kMaxNameChars code points of 4 bytes plus surrounding spaces.
constexpr std::size_t kMaxNameBytes = limits::kMaxNameChars * 4 + 64;
constexpr std::size_t kMaxIdBytes = 64;

std::vector<RelayPart> readRelayParts(const json& parts, Fields& outer) {
  std::vector<RelayPart> out;
  for (const auto& p : parts) {
    if (!p.is_object()) {
      outer.fail("parts", "expected objects {to, data}");
      break;
    }
    Fields f(p, "part");
    RelayPart part{f.string("to", kMaxIdBytes), detail::dumpJson(f.any("data"))};
    if (!f.ok()) {
      outer.fail("parts", f.error().message);
      break;
    }
    out.push_back(std::move(part));
  }
  return out;
}

template <typename T>
Result<ClientMessage> finish(Fields& f, T message) {
  if (!f.ok()) return f.error();
  return ClientMessage{std::move(message)};
}

}  // namespace

Result<ClientMessage> decodeClientMessage(std::string_view text) {
  auto parsed = detail::parseFrame(text, limits::kMaxFrameBytes);
  if (!parsed) return parsed.error();
  const json& frame = parsed.value();
  const auto& type = frame["t"].get_ref<const std::string&>();
  Fields f(frame, type);

  if (type == "hello") {
    Hello m;
    m.version = f.integer("v", 0, 1 << 20);
    // Generous bounds: the hub checks the form and answers invalid_peer_id, which says more.
    m.id = f.optionalString("id", 256).value_or("");
    m.token = f.optionalString("token", 256).value_or("");
    m.fresh = f.optionalBool("fresh").value_or(false);
    return finish(f, std::move(m));
  }
  if (type == "create") {
    Create m;
    m.name = f.string("name", kMaxNameBytes);
    m.maxMembers = f.optionalInteger("maxMembers", 0, 1000).value_or(0);
    m.relayOnly = f.optionalBool("relayOnly").value_or(false);
    return finish(f, std::move(m));
  }
  if (type == "join") {
    Join m;
    m.code = f.string("code", limits::kMaxRoomNameChars + 16);
    m.name = f.string("name", kMaxNameBytes);
    m.create = f.optionalBool("create").value_or(false);
    m.maxMembers = f.optionalInteger("maxMembers", 0, 1000).value_or(0);
    m.relayOnly = f.optionalBool("relayOnly").value_or(false);
    m.rank = static_cast<std::uint64_t>(f.optionalInteger("rank", 1, std::numeric_limits<int>::max()).value_or(0));
    return finish(f, std::move(m));
  }
  if (type == "leave") return finish(f, Leave{});
  if (type == "signal") {
    SignalOut m;
    m.to = f.string("to", kMaxIdBytes);
    const json& data = f.any("data");
    if (f.ok()) m.data = detail::readSignalPayload(data, f);
    return finish(f, std::move(m));
  }
  if (type == "relay") {
    RelayOut m;
    m.seq = f.unsignedInt("seq");
    if (!frame.contains("parts")) {
      m.to = f.optionalString("to", kMaxIdBytes).value_or("");
      m.data = detail::dumpJson(f.any("data"));
      return finish(f, std::move(m));
    }
    if (frame.contains("to") || frame.contains("data")) f.fail("parts", "comes without to and data");
    const json& parts = f.array("parts");
    if (f.ok() && (parts.empty() || parts.size() >= static_cast<std::size_t>(limits::kMaxRoomSizeCap))) {
      f.fail("parts", "expected 1 to " + std::to_string(limits::kMaxRoomSizeCap - 1) + " parts");
    }
    if (f.ok()) m.parts = readRelayParts(parts, f);
    return finish(f, std::move(m));
  }
  if (type == "ping") {
    return finish(f, Ping{f.optionalUnsigned("id").value_or(0)});
  }
  return Error{ErrorCode::UnknownType, "unknown frame type \"" + type.substr(0, 32) + "\""};
}

std::string encode(const ClientMessage& message) {
  // Relay data is JSON text already: spliced in, not parsed into the tree and written out again.
  if (const auto* relay = std::get_if<RelayOut>(&message)) {
    std::string out = R"({"t":"relay","seq":)";
    detail::appendUnsigned(out, relay->seq);
    if (relay->parts.empty()) {
      if (!relay->to.empty()) out += R"(,"to":)" + detail::dumpJson(relay->to);
      return out + R"(,"data":)" + relay->data + "}";
    }
    out += R"(,"parts":[)";
    for (std::size_t i = 0; i < relay->parts.size(); ++i) {
      out += i ? R"(,{"to":)" : R"({"to":)";
      out += detail::dumpJson(relay->parts[i].to) + R"(,"data":)" + relay->parts[i].data + "}";
    }
    return out + "]}";
  }
  json j = std::visit(
      [](const auto& m) -> json {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Hello>) {
          json o = {{"t", "hello"}, {"v", m.version}};
          if (!m.id.empty()) o["id"] = m.id;
          if (!m.token.empty()) o["token"] = m.token;
          if (m.fresh) o["fresh"] = true;
          return o;
        } else if constexpr (std::is_same_v<T, Create>) {
          json o = {{"t", "create"}, {"name", m.name}};
          if (m.maxMembers > 0) o["maxMembers"] = m.maxMembers;
          if (m.relayOnly) o["relayOnly"] = true;
          return o;
        } else if constexpr (std::is_same_v<T, Join>) {
          json o = {{"t", "join"}, {"code", m.code}, {"name", m.name}};
          if (m.create) o["create"] = true;
          if (m.maxMembers > 0) o["maxMembers"] = m.maxMembers;
          if (m.relayOnly) o["relayOnly"] = true;
          if (m.rank > 0) o["rank"] = m.rank;
          return o;
        } else if constexpr (std::is_same_v<T, Leave>) {
          return {{"t", "leave"}};
        } else if constexpr (std::is_same_v<T, SignalOut>) {
          return {{"t", "signal"}, {"to", m.to}, {"data", detail::writeSignalPayload(m.data)}};
        } else if constexpr (std::is_same_v<T, RelayOut>) {
          return {};  // (above)
        } else {
          static_assert(std::is_same_v<T, Ping>);
          return {{"t", "ping"}, {"id", m.id}};
        }
      },
      message);
  // Replace invalid UTF-8 rather than throw: names and data come from outside.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace huddle
