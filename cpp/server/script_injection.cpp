#include "server/script_injection.hpp"

namespace huddle::server {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::size_t kNone = std::string_view::npos;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// True when a start tag `name` opens at `pos`: "<name" followed by whitespace, '/' or '>', so that
// "<header>" and "<head-x>" are not taken for "<head>".
bool isStartTag(std::string_view html, std::size_t pos, std::string_view name) {
  const std::size_t after = pos + 1 + name.size();
  if (after >= html.size() || html[pos] != '<') return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (lowerAscii(html[pos + 1 + i]) != name[i]) return false;
  const char next = html[after];
  return isSpace(next) || next == '/' || next == '>';
}

// Just after the '>' that closes the tag opening at `pos`; kNone when it never closes. A quote
// opens an attribute value only right after '=' (as in HTML), and '>' inside a value is text.
std::size_t tagEnd(std::string_view html, std::size_t pos) {
  char quote = 0;
  bool afterEquals = false;
  for (std::size_t i = pos + 1; i < html.size(); ++i) {
    const char c = html[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '>') return i + 1;
    if ((c == '"' || c == '\'') && afterEquals) {
      quote = c;
      afterEquals = false;
    } else if (c == '=') {
      afterEquals = true;
    } else if (!isSpace(c)) {
      afterEquals = false;
    }
  }
  return kNone;
}

// Where the tag goes, by walking the document's opening: whitespace, comments, the doctype,
// <html ...> and then <head ...>. Anything else ends the walk.
std::size_t insertionPoint(std::string_view html) {
  std::size_t pos = html.substr(0, kByteOrderMark.size()) == kByteOrderMark ? kByteOrderMark.size() : 0;
  std::size_t insertAt = pos;  // after what must stay first (byte-order mark, doctype)
  bool sawHtml = false;
  for (;;) {
    while (pos < html.size() && isSpace(html[pos])) ++pos;
    const std::string_view rest = html.substr(pos);
    std::size_t end = kNone;
    if (rest.starts_with("<!--")) {
      // Searching from "<!" also ends the short comments "<!-->" and "<!--->", as browsers do.
      end = html.find("-->", pos + 2);
      if (end != kNone) end += 3;
    } else if (rest.starts_with("<!") || rest.starts_with("<?")) {  // doctype or bogus comment
      end = html.find('>', pos);
      if (end != kNone) end += 1;
    } else if (!sawHtml && isStartTag(html, pos, "html")) {
      end = tagEnd(html, pos);
      if (end == kNone) return insertAt;
      sawHtml = true;
      insertAt = end;
      pos = end;
      continue;
    } else if (isStartTag(html, pos, "head")) {
      end = tagEnd(html, pos);
      return end == kNone ? insertAt : end;
    } else {
      return insertAt;  // content, another tag, or the end: the head (if any) is implied
    }
    if (end == kNone) return insertAt;  // an unclosed comment or doctype
    pos = end;
    if (!sawHtml) insertAt = end;
  }
}

}  // namespace

std::size_t headInsertionPoint(std::string_view html) { return insertionPoint(html); }

std::string insertScriptTag(std::string_view html, std::string_view tag) {
  const std::size_t at = insertionPoint(html);
  std::string out;
  out.reserve(html.size() + tag.size());
  out.append(html.substr(0, at)).append(tag).append(html.substr(at));
  return out;
}

}  // namespace huddle::server
