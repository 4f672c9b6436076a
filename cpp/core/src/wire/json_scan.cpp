#include "wire/json_scan.hpp"

#include <cmath>
#include <cstring>
#include <cstdlib>
#include <string>

namespace huddle::wire {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Recursive descent over the text; recursion is bounded by maxDepth (at most 64 in huddle).
class Validator {
 public:
  Validator(std::string_view text, int maxDepth, JsonMembers* top)
      : p_(text.data()), end_(text.data() + text.size()), maxDepth_(maxDepth), top_(top) {}

  bool run() {
    space();
    if (!value(0)) return false;
    space();
    return p_ == end_;
  }

 private:
  void space() {
    while (p_ < end_ && isSpace(*p_)) ++p_;
  }

  bool value(int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(depth + 1);
      case '[': return array(depth + 1);
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }

  bool object(int depth) {
    if (depth > maxDepth_) return false;
    ++p_;
    space();
    if (p_ < end_ && *p_ == '}') return ++p_, true;
    for (;;) {
      const char* key = p_;
      if (p_ == end_ || *p_ != '"' || !string()) return false;
      const char* keyEnd = p_;
      space();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      space();
      const char* value = p_;
      if (!this->value(depth)) return false;
      if (depth == 1 && top_) record(std::string_view(key + 1, keyEnd - key - 2), std::string_view(value, p_ - value));
      space();
      if (p_ == end_) return false;
      if (*p_ == '}') return ++p_, true;
      if (*p_ != ',') return false;
      ++p_;
      space();
    }
  }

  bool array(int depth) {
    if (depth > maxDepth_) return false;
    ++p_;
    space();
    if (p_ < end_ && *p_ == ']') return ++p_, true;
    for (;;) {
      if (!value(depth)) return false;
      space();
      if (p_ == end_) return false;
      if (*p_ == ']') return ++p_, true;
      if (*p_ != ',') return false;
      ++p_;
      space();
    }
  }

  bool string() {
    ++p_;  // the opening quote
    while (p_ < end_) {
      skipPlain();
      if (p_ == end_) break;
      auto c = static_cast<unsigned char>(*p_);
      if (c == '"') return ++p_, true;
      if (c == '\\') {
        if (!escape()) return false;
      } else if (c < 0x20) {
        return false;  // control characters must be escaped
      } else if (c < 0x80) {
        ++p_;
      } else if (!utf8()) {
        return false;
      }
    }
    return false;
  }

  // Skips 8 bytes at a time while none of them needs a look: ASCII from 0x20, not '"' or '\\'.
  // (Bit tricks from "Bit Twiddling Hacks": a byte below n sets its high bit in (w - n) & ~w.)
  void skipPlain() {
    constexpr std::uint64_t kOnes = 0x0101010101010101u;
    constexpr std::uint64_t kHigh = 0x8080808080808080u;
    while (end_ - p_ >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p_, 8);
      std::uint64_t quote = w ^ (kOnes * '"');
      std::uint64_t slash = w ^ (kOnes * '\\');
      std::uint64_t special = (w | ((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) | ((slash - kOnes) & ~slash)) & kHigh;
      if (special) return;
      p_ += 8;
    }
  }

  // At a backslash. \u escapes must pair surrogates as nlohmann/json requires: a high one
  // (D800-DBFF) followed by \u and a low one (DC00-DFFF); a lone low one is an error.
  bool escape() {
    if (end_ - p_ < 2) return false;
    char e = p_[1];
    if (e != 'u') {
      p_ += 2;
      return e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't';
    }
    int unit = codeUnit(p_ + 2);
    if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) return false;
    p_ += 6;
    if (unit < 0xD800 || unit > 0xDBFF) return true;
    if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return false;
    int low = codeUnit(p_ + 2);
    if (low < 0xDC00 || low > 0xDFFF) return false;
    p_ += 6;
    return true;
  }

  // The four hex digits at `at` (within bounds checked here); -1 when they are not.
  int codeUnit(const char* at) const {
    if (end_ - at < 4) return -1;
    int unit = 0;
    for (int i = 0; i < 4; ++i) {
      int h = hexValue(at[i]);
      if (h < 0) return -1;
      unit = unit * 16 + h;
    }
    return unit;
  }

  bool utf8() {
    std::size_t length = utf8Length(p_, end_);
    p_ += length;
    return length > 1;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and finite as a double: nlohmann/json refuses
  // a number that overflows (1e400, or 400 digits), so a number that might is converted to see.
  bool number() {
    const char* start = p_;
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ == end_ || !isDigit(*p_)) return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ < end_ && isDigit(*p_)) ++p_;
    }
    bool integer = true;
    if (p_ < end_ && *p_ == '.') {
      integer = false;
      ++p_;
      if (p_ == end_ || !isDigit(*p_)) return false;
      while (p_ < end_ && isDigit(*p_)) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !isDigit(*p_)) return false;
      while (p_ < end_ && isDigit(*p_)) ++p_;
    }
    // Up to 18 digits always fit an int64/uint64, which nlohmann/json keeps as an integer.
    if (integer && p_ - start <= 18) return true;
    std::string token(start, p_);
    return std::isfinite(std::strtod(token.c_str(), nullptr));
  }

  void record(std::string_view key, std::string_view value) {
    if (top_->count == JsonMembers::kCap) {
      top_->complete = false;
      return;
    }
    top_->keys[top_->count] = key;
    top_->values[top_->count++] = value;
  }

  const char* p_;
  const char* end_;
  int maxDepth_;
  JsonMembers* top_;
};

// Past the closing quote of the string starting at `from` (a quote).
std::size_t stringEnd(std::string_view text, std::size_t from) {
  std::size_t i = from + 1;
  while (text[i] != '"') i += text[i] == '\\' ? 2 : 1;
  return i + 1;
}

}  // namespace

bool isStrictJson(std::string_view text, int maxDepth, JsonMembers* top) {
  return Validator(text, maxDepth, top).run();
}

JsonKind kindOf(std::string_view value) {
  switch (value.empty() ? '\0' : value.front()) {
    case '{': return JsonKind::Object;
    case '[': return JsonKind::Array;
    case '"': return JsonKind::String;
    case 't': return JsonKind::True;
    case 'f': return JsonKind::False;
    case 'n': return JsonKind::Null;
    default: return JsonKind::Number;
  }
}

JsonCursor::JsonCursor(std::string_view container) : text_(container) {}

void JsonCursor::skipSpace() {
  while (pos_ < text_.size() && isSpace(text_[pos_])) ++pos_;
}

std::size_t JsonCursor::valueEnd(std::size_t from) const {
  char c = text_[from];
  if (c == '"') return stringEnd(text_, from);
  if (c != '{' && c != '[') {
    std::size_t i = from;
    while (i < text_.size() && !isSpace(text_[i]) && text_[i] != ',' && text_[i] != '}' && text_[i] != ']') ++i;
    return i;
  }
  int depth = 0;
  std::size_t i = from;
  for (;;) {
    char d = text_[i];
    if (d == '"') {
      i = stringEnd(text_, i);
      continue;
    }
    if (d == '{' || d == '[') ++depth;
    if ((d == '}' || d == ']') && --depth == 0) return i + 1;
    ++i;
  }
}

bool JsonCursor::nextMember(std::string_view& key, std::string_view& value) {
  skipSpace();
  if (text_[pos_] == ',') {
    ++pos_;
    skipSpace();
  }
  if (text_[pos_] != '"') return false;  // the closing brace
  std::size_t keyEnd = stringEnd(text_, pos_);
  key = text_.substr(pos_ + 1, keyEnd - pos_ - 2);
  pos_ = keyEnd;
  skipSpace();
  ++pos_;  // the colon
  skipSpace();
  std::size_t end = valueEnd(pos_);
  value = text_.substr(pos_, end - pos_);
  pos_ = end;
  return true;
}

bool JsonCursor::nextElement(std::string_view& value) {
  skipSpace();
  if (text_[pos_] == ',') {
    ++pos_;
    skipSpace();
  }
  if (text_[pos_] == ']') return false;
  std::size_t end = valueEnd(pos_);
  value = text_.substr(pos_, end - pos_);
  pos_ = end;
  return true;
}

std::optional<std::string_view> plainString(std::string_view value) {
  if (value.size() < 2 || value.front() != '"') return std::nullopt;
  std::string_view inside = value.substr(1, value.size() - 2);
  if (inside.find('\\') != std::string_view::npos) return std::nullopt;
  return inside;
}

std::size_t utf8Length(const char* p, const char* end) {
  auto b = [&](std::ptrdiff_t i) { return static_cast<unsigned char>(p[i]); };
  auto cont = [&](std::ptrdiff_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return p + i < end && b(i) >= lo && b(i) <= hi;
  };
  if (p >= end) return 0;
  unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

std::string unquote(std::string_view value) {
  if (value.size() < 2 || value.front() != '"') return {};
  std::string_view inside = value.substr(1, value.size() - 2);
  std::string out;
  out.reserve(inside.size());
  auto unit = [&](std::size_t at) {
    int u = 0;
    for (std::size_t i = at; i < at + 4; ++i) u = u * 16 + hexValue(inside[i]);
    return static_cast<std::uint32_t>(u);
  };
  for (std::size_t i = 0; i < inside.size();) {
    std::size_t slash = inside.find('\\', i);
    if (slash == std::string_view::npos) {
      out.append(inside.substr(i));
      break;
    }
    out.append(inside.substr(i, slash - i));
    char e = inside[slash + 1];
    i = slash + 2;
    switch (e) {
      case 'b': out += '\b'; continue;
      case 'f': out += '\f'; continue;
      case 'n': out += '\n'; continue;
      case 'r': out += '\r'; continue;
      case 't': out += '\t'; continue;
      case 'u': break;
      default: out += e; continue;  // " \\ /
    }
    // \uXXXX, a high surrogate always followed by its low one (the validator checked).
    std::uint32_t cp = unit(i);
    i += 4;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
      i += 6;
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

std::optional<std::uint64_t> safeInteger(std::string_view value) {
  constexpr std::uint64_t kMaxSafe = (std::uint64_t{1} << 53) - 1;
  if (value.empty() || value.size() > 16) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : value) {
    if (!isDigit(c)) return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n > kMaxSafe) return std::nullopt;
  return n;
}

}  // namespace huddle::wire
