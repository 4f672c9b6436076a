#include "huddle/game_frames.hpp"


#include "detail/text_fields.hpp"
#include "huddle/limits.hpp"
#include "wire/json_scan.hpp"

namespace huddle {
namespace {

Error bad(const std::string& type, std::string_view problem) {
  return Error{ErrorCode::BadFrame, type + ": " + std::string(problem)};
}

// 16 lowercase hex digits, by hand: snprintf would link printf's float formatting into the
// browser's module (7 KB) for one integer.
std::string hexHash(std::uint64_t hash) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) text[static_cast<std::size_t>(i)] = kHex[hash & 15];
  return text;
}

bool readHash(const std::string& text, std::uint64_t& out) {
  if (text.size() != 16) return false;
  out = 0;
  for (char c : text) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return false;
    out = out << 4 | static_cast<std::uint64_t>(digit);
  }
  return true;
}

// "l": how many ticks each input of "i" stands for (absent: one each), so that a held input
// repeated for the host goes once with its count instead of once per tick.
Result<std::vector<std::uint64_t>> runLengths(detail::TextFields& fields, std::size_t inputs) {
  std::vector<std::uint64_t> out(inputs, 1);
  if (!fields.has("l")) return out;
  std::string_view list = fields.array("l");
  if (!fields.ok()) return fields.error();
  wire::JsonCursor cursor(list);
  std::string_view length;
  std::size_t k = 0;
  std::uint64_t total = 0;
  while (cursor.nextElement(length)) {
    auto n = wire::safeInteger(length);
    if (k == inputs || !n || *n == 0) return bad("gi", "l: one count of at least 1 per input");
    total += *n;
    if (total > limits::kMaxGameInputs) return bad("gi", "i: more than " + std::to_string(limits::kMaxGameInputs) + " inputs");
    out[k++] = *n;
  }
  if (k != inputs) return bad("gi", "l: one count of at least 1 per input");
  return out;
}

Result<GameFrame> decodeInputs(detail::TextFields& fields) {
  std::uint64_t tick = fields.unsignedInt("n");
  std::string_view inputs = fields.array("i");
  std::optional<std::uint64_t> ack = fields.optionalUnsigned("a");
  if (!fields.ok()) return fields.error();
  std::vector<GameText> distinct;
  wire::JsonCursor cursor(inputs);
  std::string_view input;
  while (cursor.nextElement(input)) {
    if (distinct.size() == limits::kMaxGameInputs) {
      return bad("gi", "i: more than " + std::to_string(limits::kMaxGameInputs) + " inputs");
    }
    auto canonical = canonicalGameValue(input, limits::kMaxGameInputBytes, "input");
    if (!canonical) return bad("gi", "i: " + canonical.error().message);
    distinct.push_back(std::move(canonical).value());
  }
  if (distinct.empty()) return bad("gi", "i: needs at least one input");
  auto lengths = runLengths(fields, distinct.size());
  if (!lengths) return lengths.error();
  GameInputFrame frame{tick, {}, ack};
  for (std::size_t k = 0; k < distinct.size(); ++k) frame.inputs.insert(frame.inputs.end(), lengths.value()[k], distinct[k]);
  if (tick < frame.inputs.size()) return bad("gi", "n: fewer ticks than inputs (ticks count from 1)");
  if (ack && *ack == 0) return bad("gi", "a: snapshot ticks count from 1");
  return GameFrame{std::move(frame)};
}

Result<GameFrame> decodeState(detail::TextFields& fields) {
  std::uint64_t tick = fields.unsignedInt("n");
  std::optional<std::uint64_t> base = fields.optionalUnsigned("b");
  std::optional<std::uint64_t> inputAck = fields.optionalUnsigned("a");
  std::string hash = fields.string("h", 16);
  bool full = fields.has("s"), delta = fields.has("d");
  std::optional<std::string_view> body = fields.optionalObject(full ? "s" : "d");
  if (!fields.ok()) return fields.error();
  if (full == delta) return bad("gs", "needs exactly one of s (a snapshot) and d (a delta)");
  if (!body) return bad("gs", full ? "s: expected an object" : "d: expected an object");
  if (full && base) return bad("gs", "b: a full snapshot has no base");
  if (delta && !base) return bad("gs", "d: a delta needs its base b");
  if (tick == 0) return bad("gs", "n: snapshot ticks count from 1");
  if (base && (*base == 0 || *base >= tick)) return bad("gs", "b: must be an earlier snapshot tick than n");
  // Canonical, so that what the hash covers is what the host hashed, however it was written.
  auto canonical = full ? parseState(*body) : canonicalGameValue(*body, limits::kMaxFrameBytes, "delta");
  if (!canonical) return bad("gs", (full ? "s: " : "d: ") + canonical.error().message);
  GameStateFrame frame{tick, base, std::move(canonical).value(), 0, inputAck};
  if (!readHash(hash, frame.hash)) return bad("gs", "h: expected 16 lowercase hex digits");
  return GameFrame{std::move(frame)};
}

}  // namespace

std::string encode(const GameInputFrame& frame) {
  // Runs of equal inputs (canonical: equal text) go once, with their length in "l".
  std::string inputs = "[", lengths = "[";
  bool runs = false;
  for (std::size_t k = 0; k < frame.inputs.size();) {
    std::size_t end = k + 1;
    while (end < frame.inputs.size() && frame.inputs[end] == frame.inputs[k]) ++end;
    if (inputs.size() > 1) inputs += ',', lengths += ',';
    inputs += frame.inputs[k];
    detail::appendUnsigned(lengths, end - k);
    runs = runs || end - k > 1;
    k = end;
  }
  inputs += ']';
  lengths += ']';
  detail::JsonObject out;
  out.string("t", "gi").unsignedInt("n", frame.tick).raw("i", inputs);
  if (runs) out.raw("l", lengths);
  if (frame.ack) out.unsignedInt("a", *frame.ack);
  return std::move(out).close();
}

std::string encode(const GameStateFrame& frame) {
  detail::JsonObject out;
  out.string("t", "gs").unsignedInt("n", frame.tick);
  if (frame.base) out.unsignedInt("b", *frame.base);
  out.raw(frame.base ? "d" : "s", frame.body);
  out.string("h", hexHash(frame.hash));
  if (frame.inputAck) out.unsignedInt("a", *frame.inputAck);
  return std::move(out).close();
}

Result<GameFrame> decodeGameFrame(std::string_view text) {
  auto fields = detail::frameFields(text, limits::kMaxFrameBytes);
  if (!fields) return fields.error();
  if (fields.value().type() == "gi") return decodeInputs(fields.value());
  if (fields.value().type() == "gs") return decodeState(fields.value());
  return Error{ErrorCode::UnknownType, "not a game sync frame: \"" + fields.value().type() + "\""};
}

}  // namespace huddle
