// Wire form of client -> server frames (docs/protocol.md "Client frames").
#include "detail/signal_payload.hpp"
#include "detail/text_fields.hpp"
#include "huddle/codec.hpp"
#include "huddle/limits.hpp"

#include <limits>
#include <optional>

namespace huddle {
namespace {

using detail::JsonObject;
using detail::TextFields;

// Names are checked for meaning by the room (normalizeName); here only for type and a byte bound
// generous enough for kMaxNameChars code points of 4 bytes plus surrounding spaces.
constexpr std::size_t kMaxNameBytes = limits::kMaxNameChars * 4 + 64;
constexpr std::size_t kMaxIdBytes = 64;
// Twice the token cap: the hub's verifier refuses longer ones with invalid_token, which says more.
constexpr std::size_t kMaxJoinTokenBytes = limits::kMaxJoinTokenChars * 2;

std::vector<RelayPart> readRelayParts(std::string_view parts, TextFields& outer) {
  std::vector<RelayPart> out;
  wire::JsonCursor cursor(parts);
  std::string_view p;
  while (cursor.nextElement(p)) {
    if (wire::kindOf(p) != wire::JsonKind::Object) {
      outer.fail("parts", "expected objects {to, data}");
      break;
    }
    TextFields f(p);
    f.setType("part");
    RelayPart part{f.string("to", kMaxIdBytes), std::string(f.any("data"))};
    if (!f.ok()) {
      outer.fail("parts", f.error().message);
      break;
    }
    out.push_back(std::move(part));
  }
  return out;
}

std::optional<Transport> readTransport(std::string_view name) {
  for (Transport t : kTransports) {
    if (transportName(t) == name) return t;
  }
  return std::nullopt;
}

// A number within [0, max]; -1 when absent and optional.
double readBounded(TextFields& f, const char* key, double max, bool required) {
  if (!required && !f.has(key)) return -1;
  double value = f.number(key);
  if (f.ok() && !(value >= 0 && value <= max)) f.fail(key, "expected 0 to " + std::to_string(static_cast<long>(max)));
  return value;
}

std::vector<LinkStats> readLinkStats(std::string_view links, TextFields& outer) {
  std::vector<LinkStats> out;
  wire::JsonCursor cursor(links);
  std::string_view l;
  while (cursor.nextElement(l)) {
    if (wire::kindOf(l) != wire::JsonKind::Object) {
      outer.fail("links", "expected objects {transport, settleMs, rttMs}");
      break;
    }
    TextFields f(l);
    f.setType("link");
    LinkStats link;
    auto transport = readTransport(f.string("transport", 16));
    if (f.ok() && !transport) f.fail("transport", "expected \"direct\", \"relay\" or \"none\"");
    if (f.ok()) {
      link.transport = *transport;
      // A path that never settled has no settle time; one that did always has one.
      bool settled = link.transport != Transport::None;
      if (!settled && f.has("settleMs")) f.fail("settleMs", "comes only with a settled transport");
      link.settleMs = readBounded(f, "settleMs", limits::kMaxStatsSettleMs, settled);
      link.rttMs = readBounded(f, "rttMs", limits::kMaxStatsRttMs, false);
    }
    if (!f.ok()) {
      outer.fail("links", f.error().message);
      break;
    }
    out.push_back(link);
  }
  return out;
}

std::size_t count(std::string_view array) {
  wire::JsonCursor cursor(array);
  std::string_view element;
  std::size_t n = 0;
  while (cursor.nextElement(element)) ++n;
  return n;
}

template <typename T>
Result<ClientMessage> finish(TextFields& f, T message) {
  if (!f.ok()) return f.error();
  return ClientMessage{std::move(message)};
}

}  // namespace

Result<ClientMessage> decodeClientMessage(std::string_view text) {
  auto fields = detail::frameFields(text, limits::kMaxFrameBytes);
  if (!fields) return fields.error();
  TextFields& f = fields.value();
  const std::string& type = f.type();

  if (type == "hello") {
    Hello m;
    m.version = f.integer("v", 0, 1 << 20);
    // Generous bounds: the hub checks the form and answers invalid_peer_id, which says more.
    m.id = f.optionalString("id", 256).value_or("");
    m.token = f.optionalString("token", 256).value_or("");
    m.fresh = f.optionalBool("fresh").value_or(false);
    m.joinToken = f.optionalString("joinToken", kMaxJoinTokenBytes).value_or("");
    return finish(f, std::move(m));
  }
  if (type == "create") {
    Create m;
    m.name = f.string("name", kMaxNameBytes);
    m.maxMembers = f.optionalInteger("maxMembers", 0, 1000).value_or(0);
    m.relayOnly = f.optionalBool("relayOnly").value_or(false);
    m.password = f.optionalString("password", limits::kMaxRoomPasswordBytes).value_or("");
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
    m.joinToken = f.optionalString("joinToken", kMaxJoinTokenBytes).value_or("");
    m.password = f.optionalString("password", limits::kMaxRoomPasswordBytes).value_or("");
    return finish(f, std::move(m));
  }
  if (type == "leave") return finish(f, Leave{});
  if (type == "signal") {
    SignalOut m;
    m.to = f.string("to", kMaxIdBytes);
    std::string_view data = f.any("data");
    if (f.ok()) m.data = detail::readSignalPayload(data, f);
    return finish(f, std::move(m));
  }
  if (type == "relay") {
    RelayOut m;
    m.seq = f.unsignedInt("seq");
    if (!f.has("parts")) {
      auto to = f.optionalString("to", kMaxIdBytes);
      // An empty `to` once went to everyone: a client that meant one member and got its id wrong
      // must hear so, not broadcast.
      if (to && to->empty()) f.fail("to", "expected a peer id (leave to out to send to everyone)");
      m.to = to.value_or("");
      m.data = f.any("data");
      return finish(f, std::move(m));
    }
    if (f.has("to") || f.has("data")) f.fail("parts", "comes without to and data");
    std::string_view parts = f.array("parts");
    if (f.ok()) {
      std::size_t n = count(parts);
      if (n == 0 || n >= static_cast<std::size_t>(limits::kMaxRoomSizeCap)) {
        f.fail("parts", "expected 1 to " + std::to_string(limits::kMaxRoomSizeCap - 1) + " parts");
      }
    }
    if (f.ok()) m.parts = readRelayParts(parts, f);
    return finish(f, std::move(m));
  }
  if (type == "ping") {
    return finish(f, Ping{f.optionalUnsigned("id").value_or(0)});
  }
  if (type == "stats") {
    Stats m;
    std::string_view links = f.array("links");
    if (f.ok()) {
      std::size_t n = count(links);
      if (n == 0 || n >= static_cast<std::size_t>(limits::kMaxRoomSizeCap)) {
        f.fail("links", "expected 1 to " + std::to_string(limits::kMaxRoomSizeCap - 1) + " links");
      }
    }
    if (f.ok()) m.links = readLinkStats(links, f);
    return finish(f, std::move(m));
  }
  return Error{ErrorCode::UnknownType, "unknown frame type \"" + type.substr(0, 32) + "\""};
}

std::string encode(const ClientMessage& message) {
  // Relay data is JSON text already: spliced in as written.
  if (const auto* relay = std::get_if<RelayOut>(&message)) {
    std::string out = R"({"t":"relay","seq":)";
    detail::appendUnsigned(out, relay->seq);
    if (relay->parts.empty()) {
      if (!relay->to.empty()) out += R"(,"to":)", detail::appendString(out, relay->to);
      return out + R"(,"data":)" + relay->data + "}";
    }
    out += R"(,"parts":[)";
    for (std::size_t i = 0; i < relay->parts.size(); ++i) {
      out += i ? R"(,{"to":)" : R"({"to":)";
      detail::appendString(out, relay->parts[i].to);
      out += R"(,"data":)";
      out += relay->parts[i].data;
      out += '}';
    }
    return out + "]}";
  }
  return std::visit(
      [](const auto& m) -> std::string {
        using T = std::decay_t<decltype(m)>;
        JsonObject o;
        if constexpr (std::is_same_v<T, Hello>) {
          o.string("t", "hello").integer("v", m.version);
          if (!m.id.empty()) o.string("id", m.id);
          if (!m.token.empty()) o.string("token", m.token);
          if (m.fresh) o.boolean("fresh", true);
          if (!m.joinToken.empty()) o.string("joinToken", m.joinToken);
        } else if constexpr (std::is_same_v<T, Create>) {
          o.string("t", "create").string("name", m.name);
          if (m.maxMembers > 0) o.integer("maxMembers", m.maxMembers);
          if (m.relayOnly) o.boolean("relayOnly", true);
          if (!m.password.empty()) o.string("password", m.password);
        } else if constexpr (std::is_same_v<T, Join>) {
          o.string("t", "join").string("code", m.code).string("name", m.name);
          if (m.create) o.boolean("create", true);
          if (m.maxMembers > 0) o.integer("maxMembers", m.maxMembers);
          if (m.relayOnly) o.boolean("relayOnly", true);
          if (m.rank > 0) o.unsignedInt("rank", m.rank);
          if (!m.joinToken.empty()) o.string("joinToken", m.joinToken);
          if (!m.password.empty()) o.string("password", m.password);
        } else if constexpr (std::is_same_v<T, Leave>) {
          o.string("t", "leave");
        } else if constexpr (std::is_same_v<T, SignalOut>) {
          o.string("t", "signal").string("to", m.to).raw("data", detail::writeSignalPayload(m.data));
        } else if constexpr (std::is_same_v<T, RelayOut>) {
          // (above)
        } else if constexpr (std::is_same_v<T, Ping>) {
          o.string("t", "ping").unsignedInt("id", m.id);
        } else {
          static_assert(std::is_same_v<T, Stats>);
          std::string links = "[";
          for (const LinkStats& l : m.links) {
            JsonObject link;
            link.string("transport", transportName(l.transport));
            if (l.settleMs >= 0) link.number("settleMs", l.settleMs);
            if (l.rttMs >= 0) link.number("rttMs", l.rttMs);
            links += links.size() > 1 ? "," : "";
            links += std::move(link).close();
          }
          o.string("t", "stats").raw("links", links + "]");
        }
        return std::move(o).close();
      },
      message);
}

}  // namespace huddle
