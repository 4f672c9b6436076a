#include "server/link_preview.hpp"

#include "huddle/limits.hpp"
#include "huddle/room_code.hpp"
#include "server/static_files.hpp"

namespace huddle::server {
namespace {

constexpr std::string_view kSharePrefix = "/r/";
constexpr std::string_view kSiteName = "huddle";
constexpr std::string_view kGenericTitle = "huddle: small rooms, browser to browser";
constexpr std::string_view kGenericDescription =
    "Small peer-to-peer rooms in your browser: chat and play with up to 8 people. No account needed.";
constexpr std::string_view kRoomDescription =
    "Open the link, pick a name, and you're in: chat and play together, browser to browser. "
    "No account needed.";
// Longest Host header taken for og:url (a DNS name is at most 253 characters, plus a port).
constexpr std::size_t kMaxHostLength = 260;

bool isAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// ":1234" (1 to 5 digits) or nothing.
bool isPortSuffix(std::string_view s) {
  if (s.empty()) return true;
  if (s.front() != ':' || s.size() < 2 || s.size() > 6) return false;
  for (char c : s.substr(1))
    if (!isDigit(c)) return false;
  return true;
}

// A host name or IPv4 address ([A-Za-z0-9-.], no empty label) or a bracketed IPv6 address,
// followed by an optional port.
bool isHostAndPort(std::string_view host) {
  if (host.empty() || host.size() > kMaxHostLength) return false;
  if (host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    for (char c : host.substr(1, close - 1))
      if (!isHex(c) && c != ':' && c != '.') return false;
    return isPortSuffix(host.substr(close + 1));
  }
  const auto colon = host.find(':');
  const std::string_view name = host.substr(0, colon);
  if (name.empty() || name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos)
    return false;
  for (char c : name)
    if (!isAlnum(c) && c != '-' && c != '.') return false;
  return isPortSuffix(colon == std::string_view::npos ? std::string_view() : host.substr(colon));
}

void meta(std::string& out, std::string_view attribute, std::string_view key, std::string_view value) {
  out.append("<meta ").append(attribute).append("=\"").append(key).append("\" content=\"");
  out.append(escapeHtml(value)).append("\" />\n");
}

}  // namespace

std::optional<std::string> shareLinkCode(std::string_view path) {
  if (!path.starts_with(kSharePrefix)) return std::nullopt;
  std::string_view raw = path.substr(kSharePrefix.size());
  if (raw.ends_with('/')) raw.remove_suffix(1);
  std::string segment;
  if (!decodeUrlPath(raw, segment)) return std::nullopt;
  // normalizeRoomCode also trims spaces; the app does not, so neither does a preview.
  if (segment.size() != limits::kRoomCodeLength) return std::nullopt;
  return normalizeRoomCode(segment);
}

std::string escapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out.append("&amp;"); break;
      case '<': out.append("&lt;"); break;
      case '>': out.append("&gt;"); break;
      case '"': out.append("&quot;"); break;
      case '\'': out.append("&#39;"); break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> originFromHost(std::string_view host, std::string_view forwardedProto) {
  if (!isHostAndPort(host)) return std::nullopt;
  const std::string_view scheme = forwardedProto == "https" ? "https://" : "http://";
  return std::string(scheme).append(host);
}

std::string validatePublicOrigin(std::string_view origin) {
  std::string_view rest = origin;
  if (rest.starts_with("https://")) rest.remove_prefix(8);
  else if (rest.starts_with("http://")) rest.remove_prefix(7);
  else return "must start with http:// or https://";
  if (!isHostAndPort(rest)) return "must be a scheme, a host and an optional port, with no path (e.g. https://huddle.example)";
  return {};
}

std::string previewTags(std::string_view path, std::string_view origin) {
  const auto code = shareLinkCode(path);
  const std::string title = code ? "Join room " + *code + " on huddle" : std::string(kGenericTitle);
  const std::string_view description = code ? kRoomDescription : kGenericDescription;
  std::string out;
  out.reserve(1024);
  out.push_back('\n');
  meta(out, "property", "og:site_name", kSiteName);
  meta(out, "property", "og:type", "website");
  meta(out, "property", "og:title", title);
  meta(out, "property", "og:description", description);
  // Never the path as sent: the canonical share link, or the app's home.
  if (!origin.empty()) meta(out, "property", "og:url", std::string(origin) + (code ? "/r/" + *code : "/"));
  meta(out, "name", "twitter:card", "summary");
  meta(out, "name", "twitter:title", title);
  meta(out, "name", "twitter:description", description);
  return out;
}

}  // namespace huddle::server
