#include "server/entity_tag.hpp"

#include <cstdio>

namespace huddle::server {
namespace {

bool isWhitespace(char c) { return c == ' ' || c == '\t'; }

// An entity tag without its W/ prefix: the quoted opaque-tag, quotes included.
std::string_view opaqueTag(std::string_view etag) {
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  return etag;
}

}  // namespace

std::string fileEntityTag(std::uintmax_t size, std::int64_t modifiedNs, ContentCoding coding) {
  char text[64];
  std::snprintf(text, sizeof text, "\"%jx-%llx", size, static_cast<unsigned long long>(modifiedNs));
  std::string tag(text);
  if (coding != ContentCoding::Identity) tag.append("-").append(siblingSuffix(coding).substr(1));
  return tag + "\"";
}

std::string contentEntityTag(std::string_view content) {
  std::uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a 64: offset basis and prime
  for (unsigned char c : content) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  char text[24];
  std::snprintf(text, sizeof text, "\"h%016llx\"", static_cast<unsigned long long>(hash));
  return text;
}

bool ifNoneMatchHits(std::string_view ifNoneMatch, std::string_view etag) {
  // If-None-Match = "*" / #entity-tag; entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE. The opaque
  // part may hold commas, so the list is read tag by tag, not split on commas.
  std::size_t i = 0;
  auto skipSeparators = [&] {
    while (i < ifNoneMatch.size() && (isWhitespace(ifNoneMatch[i]) || ifNoneMatch[i] == ',')) ++i;
  };
  skipSeparators();
  if (ifNoneMatch.substr(i).starts_with('*')) {
    ++i;
    skipSeparators();
    return i == ifNoneMatch.size();
  }
  const std::string_view wanted = opaqueTag(etag);
  while (i < ifNoneMatch.size()) {
    const std::size_t start = i;
    if (ifNoneMatch.substr(i).starts_with("W/")) i += 2;
    if (i >= ifNoneMatch.size() || ifNoneMatch[i] != '"') return false;
    const std::size_t close = ifNoneMatch.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    i = close + 1;
    if (opaqueTag(ifNoneMatch.substr(start, i - start)) == wanted) return true;
    const std::size_t afterTag = i;
    skipSeparators();
    // Tags must be separated by a comma: "a""b" is malformed.
    if (i < ifNoneMatch.size() && ifNoneMatch.substr(afterTag, i - afterTag).find(',') == std::string_view::npos)
      return false;
  }
  return false;
}

}  // namespace huddle::server
