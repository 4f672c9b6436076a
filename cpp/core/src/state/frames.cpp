// Wire form of the room state frames (docs/protocol.md "Room state").
#include <type_traits>

#include "detail/text_fields.hpp"
#include "huddle/limits.hpp"
#include "huddle/state_frames.hpp"
#include "wire/json_scan.hpp"

namespace huddle::state {
namespace {

using detail::JsonObject;
using detail::TextFields;
using wire::JsonKind;

bool isPeerId(std::string_view id) {
  if (id.empty() || id.size() > limits::kMaxPeerIdChars) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string peer(TextFields& f, const char* key) {
  std::string id = f.string(key, limits::kMaxPeerIdChars);
  if (f.ok() && !isPeerId(id)) f.fail(key, "is not a peer id");
  return id;
}

// Hashes are 64-bit: more than a JSON number holds exactly, so they travel as 16 hex digits.
std::uint64_t hash(TextFields& f, const char* key) {
  std::string text = f.string(key, 16);
  if (!f.ok()) return 0;
  if (text.size() != 16) f.fail(key, "expected 16 hex digits");
  std::uint64_t out = 0;
  for (char c : text) {
    int digit = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (digit < 0) {
      f.fail(key, "expected 16 hex digits");
      return 0;
    }
    out = out * 16 + static_cast<std::uint64_t>(digit);
  }
  return out;
}

std::string hexHash(std::uint64_t h) {
  static const char* digits = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = digits[h & 15];
  return out;
}

// An epoch as fields `e` (number) and `h` (host); the empty epoch {0, ""} has no host.
Epoch epoch(TextFields& f, const char* numberKey, const char* hostKey) {
  Epoch e;
  e.number = f.unsignedInt(numberKey);
  if (!f.ok()) return e;
  if (e.number == 0) {
    if (f.has(hostKey)) f.fail(hostKey, "must be absent in epoch 0");
    return e;
  }
  e.host = peer(f, hostKey);
  return e;
}

void writeEpoch(JsonObject& o, const Epoch& e, const char* numberKey, const char* hostKey) {
  o.unsignedInt(numberKey, e.number);
  if (e.number != 0) o.string(hostKey, e.host);
}

std::string key(TextFields& f, const char* name) {
  std::string k = f.string(name, limits::kMaxStateKeyBytes);
  if (!f.ok()) return k;
  if (auto checked = checkStateKey(k); !checked) f.fail(name, checked.error().message);
  return k;
}

// "v" present: a value; absent: a delete.
std::optional<std::string> value(TextFields& f) {
  if (!f.has("v")) return std::nullopt;
  std::string_view text = f.any("v");
  if (!f.ok()) return std::nullopt;
  if (auto checked = checkStateValue(text); !checked) f.fail("v", checked.error().message);
  return std::string(text);
}

std::uint64_t atLeastOne(TextFields& f, const char* name) {
  std::uint64_t v = f.unsignedInt(name);
  if (f.ok() && v == 0) f.fail(name, "must be at least 1");
  return v;
}

// The objects of an array field, each read by `read` (which records its own errors in f).
template <typename Read>
void eachObject(TextFields& f, const char* name, std::size_t max, Read&& read) {
  std::string_view array = f.array(name);
  if (!f.ok()) return;
  wire::JsonCursor cursor(array);
  std::string_view element;
  std::size_t count = 0;
  while (f.ok() && cursor.nextElement(element)) {
    if (++count > max) return f.fail(name, "has too many elements");
    if (wire::kindOf(element) != JsonKind::Object) return f.fail(name, "elements must be objects");
    TextFields inner(element);
    inner.setType(f.type() + "." + name);
    read(inner);
    if (!inner.ok()) {
      f.fail(name, inner.error().message);
      return;
    }
  }
}

Result<StateFrame> read(TextFields& f) {
  const std::string type = f.type();
  StateFrame out;
  if (type == "sw") {
    StateWrite m;
    m.epoch = epoch(f, "e", "h");
    m.n = atLeastOne(f, "n");
    m.key = key(f, "k");
    m.value = value(f);
    m.lamport = atLeastOne(f, "l");
    if (f.ok() && m.epoch.number == 0) f.fail("e", "must be at least 1");
    out = std::move(m);
  } else if (type == "sc") {
    StateChange m;
    m.epoch = epoch(f, "e", "h");
    m.seq = atLeastOne(f, "s");
    if (f.has("g")) {
      m.collect = atLeastOne(f, "g");
    } else {
      m.writer = peer(f, "w");
      m.n = atLeastOne(f, "n");
      m.key = key(f, "k");
      m.value = value(f);
      m.lamport = atLeastOne(f, "l");
    }
    m.hash = hash(f, "x");
    if (f.ok() && m.epoch.number == 0) f.fail("e", "must be at least 1");
    out = std::move(m);
  } else if (type == "sr") {
    StateRequest m;
    m.q = atLeastOne(f, "q");
    m.from.epoch = epoch(f, "e", "h");
    m.from.seq = f.unsignedInt("s");
    m.full = f.optionalBool("full").value_or(false);
    out = std::move(m);
  } else if (type == "sh") {
    StateSnapshot m;
    m.q = atLeastOne(f, "q");
    m.position.epoch = epoch(f, "e", "h");
    m.position.seq = f.unsignedInt("s");
    m.hash = hash(f, "x");
    m.part = static_cast<std::uint32_t>(f.integer("i", 0, static_cast<int>(limits::kMaxStateSnapshotParts) - 1));
    m.parts = static_cast<std::uint32_t>(f.integer("of", 1, static_cast<int>(limits::kMaxStateSnapshotParts)));
    if (f.ok() && m.part >= m.parts) f.fail("i", "must be below \"of\"");
    eachObject(f, "entries", limits::kMaxStateKeys, [&](TextFields& e) {
      StateEntry entry;
      entry.key = key(e, "k");
      entry.value = value(e);
      entry.lamport = atLeastOne(e, "l");
      entry.peer = peer(e, "p");
      m.entries.push_back(std::move(entry));
    });
    if (f.has("applied")) {
      eachObject(f, "applied", limits::kMaxStateKeys, [&](TextFields& a) {
        std::string who = peer(a, "p");
        std::uint64_t n = atLeastOne(a, "n");
        m.applied.emplace_back(std::move(who), n);
      });
    }
    m.floor = f.optionalUnsigned("f").value_or(0);
    out = std::move(m);
  } else if (type == "sf") {
    StateHash m;
    m.position.epoch = epoch(f, "e", "h");
    m.position.seq = f.unsignedInt("s");
    m.hash = hash(f, "x");
    if (f.ok() && m.position.epoch.number == 0) f.fail("e", "must be at least 1");
    out = std::move(m);
  } else if (type == "sq") {
    out = StateQuery{atLeastOne(f, "q")};
  } else if (type == "sa") {
    StateAnswer m;
    m.q = f.unsignedInt("q");
    m.position.epoch = epoch(f, "e", "h");
    m.position.seq = f.unsignedInt("s");
    m.hash = hash(f, "x");
    m.ok = f.optionalBool("ok").value_or(true);
    m.lowest = f.optionalUnsigned("c").value_or(0);
    out = std::move(m);
  } else if (type == "ss") {
    StateRebase m;
    m.q = atLeastOne(f, "q");
    m.epoch = epoch(f, "e", "h");
    m.previous = epoch(f, "pe", "ph");
    m.seq = f.unsignedInt("s");
    m.hash = hash(f, "x");
    if (f.ok() && m.epoch.number <= m.previous.number) f.fail("e", "must be above \"pe\"");
    out = std::move(m);
  } else {
    return Error{ErrorCode::UnknownType, "unknown state frame type \"" + type.substr(0, 32) + "\""};
  }
  if (!f.ok()) return f.error();
  return out;
}

void writeValue(JsonObject& o, const std::optional<std::string>& v) {
  if (v) o.raw("v", *v);
}

std::string entryText(const StateEntry& e) {
  JsonObject o;
  o.string("k", e.key);
  writeValue(o, e.value);
  o.unsignedInt("l", e.lamport).string("p", e.peer);
  return std::move(o).close();
}

}  // namespace

Status checkStateKey(std::string_view key) {
  if (key.empty() || key.size() > limits::kMaxStateKeyBytes) {
    return Error{ErrorCode::DataInvalid,
                 "a state key is 1 to " + std::to_string(limits::kMaxStateKeyBytes) + " bytes of UTF-8"};
  }
  const char* p = key.data();
  const char* end = p + key.size();
  while (p < end) {
    if (static_cast<unsigned char>(*p) < 0x20 || *p == 0x7f) {
      return Error{ErrorCode::DataInvalid, "a state key may not hold control characters"};
    }
    std::size_t n = wire::utf8Length(p, end);
    if (n == 0) return Error{ErrorCode::DataInvalid, "a state key must be valid UTF-8"};
    p += n;
  }
  return Ok{};
}

Status checkStateValue(std::string_view json) { return detail::checkData(json, limits::kMaxStateValueBytes); }

Result<StateFrame> decodeStateFrame(std::string_view text) {
  auto fields = detail::frameFields(text, limits::kMaxFrameBytes);
  if (!fields) return fields.error();
  return read(fields.value());
}

Result<std::vector<StateFrame>> decodeStateMessage(std::string_view text) {
  std::vector<StateFrame> out;
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '[') {
    auto one = decodeStateFrame(text);
    if (!one) return one.error();
    out.push_back(std::move(one).value());
    return out;
  }
  auto checked = detail::checkFrameText(text, limits::kMaxFrameBytes, nullptr);
  if (!checked) return checked.error();
  wire::JsonCursor cursor(checked.value());
  std::string_view element;
  while (cursor.nextElement(element)) {
    if (out.size() == kMaxStateFramesPerBatch || wire::kindOf(element) != wire::JsonKind::Object) {
      return Error{ErrorCode::BadFrame, "a state batch is an array of 1 to " + std::to_string(kMaxStateFramesPerBatch) +
                                            " state frames (JSON objects)"};
    }
    detail::TextFields f(element);
    auto type = f.readType();
    if (!type) return Error{ErrorCode::BadFrame, "frame needs a string field \"t\" naming its type"};
    f.setType(*type);
    auto frame = read(f);
    if (!frame) return frame.error();
    out.push_back(std::move(frame).value());
  }
  if (out.empty()) return Error{ErrorCode::BadFrame, "a state batch holds at least one frame"};
  return out;
}

void StateOutbox::add(std::string to, std::string frame) {
  std::size_t bytes = frame.size() + 1;  // and its comma
  if (runs_.empty() || runs_.back().to != to || runs_.back().bytes + bytes > maxBytes_) {
    runs_.push_back(Run{std::move(to), {}, 2});
  }
  runs_.back().bytes += bytes;
  runs_.back().frames.push_back(std::move(frame));
}

std::vector<StateOutbox::Message> StateOutbox::take() {
  std::vector<Message> out;
  for (auto& run : runs_) {
    if (run.frames.size() == 1) {
      out.push_back(Message{std::move(run.to), std::move(run.frames[0])});
      continue;
    }
    std::string text = "[";
    text.reserve(run.bytes);
    for (std::size_t i = 0; i < run.frames.size(); ++i) {
      if (i > 0) text += ',';
      text += run.frames[i];
    }
    out.push_back(Message{std::move(run.to), text + "]"});
  }
  runs_.clear();
  return out;
}

std::string encodeStateFrame(const StateFrame& frame) {
  return std::visit(
      [](const auto& m) -> std::string {
        using T = std::decay_t<decltype(m)>;
        JsonObject o;
        if constexpr (std::is_same_v<T, StateWrite>) {
          o.string("t", "sw");
          writeEpoch(o, m.epoch, "e", "h");
          o.unsignedInt("n", m.n).string("k", m.key);
          writeValue(o, m.value);
          o.unsignedInt("l", m.lamport);
        } else if constexpr (std::is_same_v<T, StateChange>) {
          o.string("t", "sc");
          writeEpoch(o, m.epoch, "e", "h");
          o.unsignedInt("s", m.seq);
          if (m.collect != 0) {
            o.unsignedInt("g", m.collect);
          } else {
            o.string("w", m.writer).unsignedInt("n", m.n).string("k", m.key);
            writeValue(o, m.value);
            o.unsignedInt("l", m.lamport);
          }
          o.string("x", hexHash(m.hash));
        } else if constexpr (std::is_same_v<T, StateRequest>) {
          o.string("t", "sr").unsignedInt("q", m.q);
          writeEpoch(o, m.from.epoch, "e", "h");
          o.unsignedInt("s", m.from.seq);
          if (m.full) o.boolean("full", true);
        } else if constexpr (std::is_same_v<T, StateSnapshot>) {
          o.string("t", "sh").unsignedInt("q", m.q);
          writeEpoch(o, m.position.epoch, "e", "h");
          o.unsignedInt("s", m.position.seq).string("x", hexHash(m.hash));
          o.unsignedInt("i", m.part).unsignedInt("of", m.parts);
          std::string entries = "[";
          for (const auto& e : m.entries) entries += (entries.size() > 1 ? "," : "") + entryText(e);
          o.raw("entries", entries + "]");
          if (!m.applied.empty()) {
            std::string applied = "[";
            for (const auto& [who, n] : m.applied) {
              JsonObject a;
              a.string("p", who).unsignedInt("n", n);
              applied += (applied.size() > 1 ? "," : "") + std::move(a).close();
            }
            o.raw("applied", applied + "]");
          }
          if (m.floor != 0) o.unsignedInt("f", m.floor);
        } else if constexpr (std::is_same_v<T, StateHash>) {
          o.string("t", "sf");
          writeEpoch(o, m.position.epoch, "e", "h");
          o.unsignedInt("s", m.position.seq).string("x", hexHash(m.hash));
        } else if constexpr (std::is_same_v<T, StateQuery>) {
          o.string("t", "sq").unsignedInt("q", m.q);
        } else if constexpr (std::is_same_v<T, StateAnswer>) {
          o.string("t", "sa").unsignedInt("q", m.q);
          writeEpoch(o, m.position.epoch, "e", "h");
          o.unsignedInt("s", m.position.seq).string("x", hexHash(m.hash));
          if (!m.ok) o.boolean("ok", false);
          if (m.lowest != 0) o.unsignedInt("c", m.lowest);
        } else {
          static_assert(std::is_same_v<T, StateRebase>);
          o.string("t", "ss").unsignedInt("q", m.q);
          writeEpoch(o, m.epoch, "e", "h");
          writeEpoch(o, m.previous, "pe", "ph");
          o.unsignedInt("s", m.seq).string("x", hexHash(m.hash));
        }
        return std::move(o).close();
      },
      frame);
}

// Exposed for the snapshot writer (room_state.cpp), which sizes parts by the entries' text.
std::size_t stateEntryBytes(const StateEntry& entry) { return entryText(entry).size() + 1; }

}  // namespace huddle::state
