// Wire form of peer frames (docs/protocol.md "Peer frames").
#include "huddle/peer_message.hpp"

#include <type_traits>

#include "detail/text_fields.hpp"
#include "huddle/limits.hpp"
#include "wire/json_scan.hpp"

namespace huddle {
namespace {

using detail::TextFields;
using wire::JsonKind;

// What msg and umsg both carry: the app's message id, timestamp, broadcast flag and data.
template <typename M>
void readCarried(TextFields& f, M& m) {
  m.id = f.unsignedInt("id");
  m.ts = f.number("ts");
  m.broadcast = f.optionalBool("broadcast").value_or(true);
  m.data = f.any("data");
}

// Longest "k" and "err" read; longer ones are not names this build knows.
constexpr std::size_t kMaxKindBytes = 64;

// "k" (absent: an app message), and a response's "re" and "err". An unknown kind is kept as
// Unknown, not refused: the frame is a valid message of the stream, only not one for us.
void readKind(TextFields& f, AppMessage& m) {
  if (!f.has("k")) return;
  std::string k = f.string("k", kMaxKindBytes);
  if (!f.ok()) return;
  if (k == "req") {
    m.kind = MessageKind::Request;
  } else if (k == "state") {
    m.kind = MessageKind::State;
  } else if (k == "res") {
    m.kind = MessageKind::Response;
    m.re = f.unsignedInt("re");
    m.refusal = f.optionalString("err", kMaxKindBytes).value_or("");
    if (f.ok() && m.re == 0) f.fail("re", "must be at least 1");
  } else {
    m.kind = MessageKind::Unknown;
  }
}

Result<PeerMessage> readFrame(std::string_view value, TextFields f) {
  if (wire::kindOf(value) != JsonKind::Object) return Error{ErrorCode::BadFrame, "a peer frame is a JSON object"};
  auto t = f.readType();
  if (!t) return Error{ErrorCode::BadFrame, "a peer frame is an object with a string field \"t\""};
  std::string_view type = *t;
  f.setType(type);
  PeerMessage out;
  if (type == "msg") {
    AppMessage m;
    m.seq = f.unsignedInt("seq");
    readCarried(f, m);
    readKind(f, m);
    if (f.ok() && m.seq == 0) f.fail("seq", "must be at least 1");
    out = std::move(m);
  } else if (type == "umsg") {
    UnreliableMessage m;
    m.epoch = f.unsignedInt("e");
    m.n = f.unsignedInt("n");
    readCarried(f, m);
    if (f.ok() && (m.epoch == 0 || m.n == 0)) f.fail(m.epoch == 0 ? "e" : "n", "must be at least 1");
    out = std::move(m);
  } else if (type == "ack") {
    out = Ack{f.unsignedInt("seq")};
  } else if (type == "sync") {
    StreamSync m{f.unsignedInt("e"), f.unsignedInt("seq"), f.optionalBool("batch").value_or(false)};
    if (f.ok() && (m.epoch == 0 || m.seq == 0)) f.fail(m.epoch == 0 ? "e" : "seq", "must be at least 1");
    out = m;
  } else if (type == "gi" || type == "gs") {
    out = GameMessage{std::string(value)};
  } else if (type == "ping") {
    out = LinkPing{f.number("ts")};
  } else if (type == "pong") {
    out = LinkPong{f.number("ts")};
  } else {
    return Error{ErrorCode::UnknownType, "unknown peer frame type \"" + std::string(type.substr(0, 32)) + "\""};
  }
  if (!f.ok()) return f.error();
  return out;
}

// The elements of validated array text, each a frame.
Result<std::vector<PeerMessage>> readBatch(std::string_view array) {
  std::vector<PeerMessage> out;
  wire::JsonCursor cursor(array);
  std::string_view element;
  bool more = false;
  while (cursor.nextElement(element)) {
    if ((more = out.size() == kMaxFramesPerBatch)) break;
    // TextFields walks its text as an object: anything else would be read past its end.
    if (wire::kindOf(element) != JsonKind::Object) {
      return Error{ErrorCode::BadFrame, "each frame of a batch must be a JSON object"};
    }
    auto frame = readFrame(element, TextFields(element));
    if (!frame) return frame.error();
    out.push_back(std::move(frame).value());
  }
  if (out.empty() || more) {
    return Error{ErrorCode::BadFrame, "a batch holds 1 to " + std::to_string(kMaxFramesPerBatch) + " frames"};
  }
  return out;
}

// {"t":TYPE, then the rest as written by `body` (each member with its leading comma), then }.
template <typename Body>
std::string frame(const char* type, std::size_t dataBytes, Body&& body) {
  std::string out;
  out.reserve(64 + dataBytes);
  out += R"({"t":")";
  out += type;
  out += '"';
  body(out);
  out += '}';
  return out;
}

void member(std::string& out, const char* key) {
  out += ",\"";
  out += key;
  out += "\":";
}

template <typename M>
void writeCarried(std::string& out, const M& m) {
  member(out, "id"), detail::appendUnsigned(out, m.id);
  member(out, "ts"), detail::appendNumber(out, m.ts);
  if (!m.broadcast) member(out, "broadcast"), out += "false";
  member(out, "data"), out += m.data;
}

// Nothing for an app message: its frame stays as it was before kinds existed.
void writeKind(std::string& out, const AppMessage& m) {
  switch (m.kind) {
    case MessageKind::App:
    case MessageKind::Unknown:  // (never sent: only ever read)
      return;
    case MessageKind::Request:
      member(out, "k"), out += R"("req")";
      return;
    case MessageKind::State:
      member(out, "k"), out += R"("state")";
      return;
    case MessageKind::Response:
      member(out, "k"), out += R"("res")";
      member(out, "re"), detail::appendUnsigned(out, m.re);
      // Escaped: ours are plain code names, but a decoded frame's may be anything (re-encoding a
      // decoded frame must give a frame that decodes: the peer_message fuzz target checks it).
      if (!m.refusal.empty()) member(out, "err"), detail::appendString(out, m.refusal);
      return;
  }
}

}  // namespace

Result<PeerMessage> decodePeerMessage(std::string_view text) {
  wire::JsonMembers top;
  auto checked = detail::checkFrameText(text, limits::kMaxFrameBytes, &top);
  if (!checked) return checked.error();
  std::string_view value = checked.value();
  if (wire::kindOf(value) != JsonKind::Object) return Error{ErrorCode::BadFrame, "frame must be a JSON object"};
  return readFrame(value, TextFields(value, top));
}

Result<std::vector<PeerMessage>> decodeBatch(std::string_view text) {
  auto checked = detail::checkFrameText(text, limits::kMaxFrameBytes, nullptr);
  if (!checked) return checked.error();
  std::string_view value = checked.value();
  if (wire::kindOf(value) != JsonKind::Array) {
    return Error{ErrorCode::BadFrame, "a batch is an array of 1 to " + std::to_string(kMaxFramesPerBatch) + " frames"};
  }
  return readBatch(value);
}

Result<std::vector<PeerMessage>> decodeLinkMessage(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '[') return decodeBatch(text);
  auto one = decodePeerMessage(text);
  if (!one) return one.error();
  std::vector<PeerMessage> out;
  out.push_back(std::move(one).value());
  return out;
}

std::string encode(const PeerMessage& message) {
  using detail::appendNumber;
  using detail::appendUnsigned;
  return std::visit(
      [](const auto& m) -> std::string {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, AppMessage>) {
          return frame("msg", m.data.size(), [&](std::string& out) {
            member(out, "seq"), appendUnsigned(out, m.seq);
            writeKind(out, m);
            writeCarried(out, m);
          });
        } else if constexpr (std::is_same_v<T, UnreliableMessage>) {
          return frame("umsg", m.data.size(), [&](std::string& out) {
            member(out, "e"), appendUnsigned(out, m.epoch);
            member(out, "n"), appendUnsigned(out, m.n);
            writeCarried(out, m);
          });
        } else if constexpr (std::is_same_v<T, Ack>) {
          return frame("ack", 0, [&](std::string& out) { member(out, "seq"), appendUnsigned(out, m.seq); });
        } else if constexpr (std::is_same_v<T, StreamSync>) {
          return frame("sync", 0, [&](std::string& out) {
            member(out, "e"), appendUnsigned(out, m.epoch);
            member(out, "seq"), appendUnsigned(out, m.seq);
            if (m.batches) member(out, "batch"), out += "true";
          });
        } else if constexpr (std::is_same_v<T, GameMessage>) {
          return m.frame;
        } else if constexpr (std::is_same_v<T, LinkPing>) {
          return frame("ping", 0, [&](std::string& out) { member(out, "ts"), appendNumber(out, m.ts); });
        } else {
          static_assert(std::is_same_v<T, LinkPong>);
          return frame("pong", 0, [&](std::string& out) { member(out, "ts"), appendNumber(out, m.ts); });
        }
      },
      message);
}

}  // namespace huddle
