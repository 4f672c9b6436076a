#include "huddle/game_state.hpp"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "detail/text_fields.hpp"
#include "huddle/limits.hpp"
#include "wire/json_scan.hpp"

namespace huddle {
namespace {

using wire::JsonKind;
using wire::kindOf;

Error invalid(std::string message) { return Error{ErrorCode::DataInvalid, std::move(message)}; }

bool isObject(std::string_view value) { return !value.empty() && kindOf(value) == JsonKind::Object; }

// A key as the text reader hands it (without quotes, still escaped), unescaped.
std::string keyOf(std::string_view key) {
  if (key.find('\\') == std::string_view::npos) return std::string(key);
  std::string quoted;
  quoted.reserve(key.size() + 2);
  quoted.append(1, '"').append(key).append(1, '"');
  return wire::unquote(quoted);
}

struct Member {
  std::string key;         // unescaped
  std::string_view value;  // as written
};

// The members of an object in validated text, in the order written (canonical text: key order).
std::vector<Member> membersOf(std::string_view object) {
  std::vector<Member> out;
  wire::JsonCursor cursor(object);
  std::string_view key, value;
  while (cursor.nextMember(key, value)) out.push_back(Member{keyOf(key), value});
  return out;
}

double numberOf(std::string_view value) {
  if (auto n = wire::safeInteger(value)) return static_cast<double>(*n);
  return std::strtod(std::string(value).c_str(), nullptr);  // validated: finite
}

void writeMember(std::string& out, const std::string& key, std::string_view value) {
  if (out.size() > 1) out += ',';
  detail::appendString(out, key);
  out += ':';
  out += value;
}

void writeCanonical(std::string& out, std::string_view value) {
  switch (kindOf(value)) {
    case JsonKind::Object: {
      auto members = membersOf(value);
      std::stable_sort(members.begin(), members.end(), [](const Member& a, const Member& b) { return a.key < b.key; });
      out += '{';
      bool first = true;
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (i + 1 < members.size() && members[i + 1].key == members[i].key) continue;  // the last counts
        if (!first) out += ',';
        first = false;
        detail::appendString(out, members[i].key);
        out += ':';
        writeCanonical(out, members[i].value);
      }
      out += '}';
      return;
    }
    case JsonKind::Array: {
      out += '[';
      wire::JsonCursor cursor(value);
      std::string_view element;
      bool first = true;
      while (cursor.nextElement(element)) {
        if (!first) out += ',';
        first = false;
        writeCanonical(out, element);
      }
      out += ']';
      return;
    }
    case JsonKind::String: detail::appendString(out, wire::unquote(value)); return;
    case JsonKind::Number: detail::appendNumber(out, numberOf(value)); return;
    default: out += value; return;  // true, false, null: one way to write each
  }
}

std::string_view trim(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::string tooLarge(const char* what, std::size_t size, std::size_t maxBytes) {
  return std::string(what) + ": " + std::to_string(size) + " bytes, more than the limit of " + std::to_string(maxBytes);
}

}  // namespace

Result<GameText> canonicalGameValue(std::string_view text, std::size_t maxBytes, const char* what) {
  if (text.size() > maxBytes) return invalid(tooLarge(what, text.size(), maxBytes));
  if (!wire::isStrictJson(text, limits::kMaxAppDataDepth)) {
    if (detail::nestedDeeperThan(text, limits::kMaxAppDataDepth)) return invalid(std::string(what) + ": nested too deep");
    return invalid(std::string(what) + ": not valid JSON (or a string that is not valid UTF-8)");
  }
  GameText out;
  out.reserve(text.size());
  writeCanonical(out, trim(text));
  // Rarely longer than what it came from (a number JavaScript writes shorter than we do).
  if (out.size() > maxBytes) return invalid(tooLarge(what, out.size(), maxBytes));
  return out;
}

Result<GameText> parseState(std::string_view text) {
  auto state = canonicalGameValue(text, limits::kMaxGameStateBytes, "game state");
  if (state && !isObject(state.value())) return invalid("game state: must be a JSON object");
  return state;
}

std::uint64_t stateHash(const GameText& state) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a 64-bit offset basis
  for (unsigned char c : state) {
    hash ^= c;
    hash *= 1099511628211ULL;  // FNV prime
  }
  return hash;
}

namespace {

void diffInto(std::string& out, std::string_view from, std::string_view to) {
  auto a = membersOf(from), b = membersOf(to);
  // Each list opens with its bracket so that writeMember can tell the first member.
  std::string set = "{", removed = "[", objects = "{";
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].key < b[j].key)) {
      if (removed.size() > 1) removed += ',';
      detail::appendString(removed, a[i++].key);
    } else if (i == a.size() || b[j].key < a[i].key) {
      writeMember(set, b[j].key, b[j].value);
      ++j;
    } else {
      // Canonical: the same value is the same text.
      if (a[i].value != b[j].value) {
        if (isObject(a[i].value) && isObject(b[j].value)) {
          std::string inner = "{";
          diffInto(inner, a[i].value, b[j].value);
          writeMember(objects, b[j].key, inner);
        } else {
          writeMember(set, b[j].key, b[j].value);
        }
      }
      ++i;
      ++j;
    }
  }
  // Members in key order ("o" < "r" < "s"), so the delta is canonical too. `out` holds "{".
  auto add = [&out](const char* name, std::string& list, char close) {
    if (list.size() == 1) return;
    if (out.size() > 1) out += ',';
    out.append(1, '"').append(name).append("\":").append(list).append(1, close);
  };
  add("o", objects, '}');
  add("r", removed, ']');
  add("s", set, '}');
  out += '}';
}

struct Entry {
  std::string key;
  std::string value;
};

std::vector<Entry>::iterator findKey(std::vector<Entry>& entries, const std::string& key) {
  return std::lower_bound(entries.begin(), entries.end(), key, [](const Entry& e, const std::string& k) { return e.key < k; });
}

Result<GameText> applyTo(std::string_view from, std::string_view delta) {
  if (!isObject(from)) return invalid("delta: its base is not an object");
  if (!isObject(delta)) return invalid("delta: must be an object");
  std::string_view set, removed, objects;
  for (const auto& member : membersOf(delta)) {
    if (member.key == "s") {
      set = member.value;
    } else if (member.key == "r") {
      removed = member.value;
    } else if (member.key == "o") {
      objects = member.value;
    } else {
      return invalid("delta: unknown member \"" + member.key + "\"");
    }
  }
  std::vector<Entry> out;
  for (const auto& member : membersOf(from)) out.push_back(Entry{member.key, std::string(member.value)});
  if (!removed.empty()) {
    if (kindOf(removed) != JsonKind::Array) return invalid("delta.r: expected an array");
    wire::JsonCursor cursor(removed);
    std::string_view element;
    while (cursor.nextElement(element)) {
      if (kindOf(element) != JsonKind::String) return invalid("delta.r: expected strings");
      std::string key = wire::unquote(element);
      auto at = findKey(out, key);
      if (at == out.end() || at->key != key) return invalid("delta.r: removes a key its base lacks");
      out.erase(at);
    }
  }
  if (!set.empty()) {
    if (!isObject(set)) return invalid("delta.s: expected an object");
    for (auto& member : membersOf(set)) {
      auto at = findKey(out, member.key);
      if (at != out.end() && at->key == member.key) {
        at->value = member.value;
      } else {
        out.insert(at, Entry{std::move(member.key), std::string(member.value)});
      }
    }
  }
  if (!objects.empty()) {
    if (!isObject(objects)) return invalid("delta.o: expected an object");
    for (const auto& member : membersOf(objects)) {
      auto at = findKey(out, member.key);
      if (at == out.end() || at->key != member.key || !isObject(at->value)) {
        return invalid("delta.o: \"" + member.key + "\" is not an object in its base");
      }
      auto applied = applyTo(at->value, member.value);
      if (!applied) return applied.error();
      at->value = std::move(applied).value();
    }
  }
  std::string text = "{";
  for (const auto& entry : out) writeMember(text, entry.key, entry.value);
  text += '}';
  return text;
}

void blend(std::string& out, std::string_view a, std::string_view b, double t) {
  JsonKind from = kindOf(a), to = kindOf(b);
  if (from == JsonKind::Number && to == JsonKind::Number) {
    double x = numberOf(a), y = numberOf(b);
    detail::appendNumber(out, x + (y - x) * t);
    return;
  }
  if (from != JsonKind::Object || to != JsonKind::Object) {
    out += b;
    return;
  }
  auto ma = membersOf(a), mb = membersOf(b);
  out += '{';
  std::size_t i = 0;
  for (std::size_t j = 0; j < mb.size(); ++j) {
    while (i < ma.size() && ma[i].key < mb[j].key) ++i;
    if (j > 0) out += ',';
    detail::appendString(out, mb[j].key);
    out += ':';
    if (i < ma.size() && ma[i].key == mb[j].key) {
      blend(out, ma[i].value, mb[j].value, t);
    } else {
      out += mb[j].value;
    }
  }
  out += '}';
}

}  // namespace

GameText diff(const GameText& from, const GameText& to) {
  GameText out = "{";
  diffInto(out, from, to);
  return out;
}

Result<GameText> applyDelta(const GameText& from, const GameText& delta) { return applyTo(from, delta); }

GameText interpolate(const GameText& a, const GameText& b, double t) {
  if (a.empty() || b.empty()) return b;
  GameText out;
  out.reserve(b.size());
  blend(out, a, b, std::clamp(t, 0.0, 1.0));
  return out;
}

}  // namespace huddle
