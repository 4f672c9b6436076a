#include "server/origin_policy.hpp"

#include <algorithm>
#include <cctype>

namespace huddle::server {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// "host:80" -> "host" for http, "host:443" -> "host" for https ("[::1]:443" -> "[::1]"). Only a
// port after a bare host goes: "host:443:443" is no origin and stays as it is, so normalizing
// twice gives what normalizing once gave (found by the origin_address fuzz target).
std::string withoutDefaultPort(std::string authority, std::string_view scheme) {
  const std::string_view port = scheme == "https" ? ":443" : scheme == "http" ? ":80" : "";
  if (port.empty() || !authority.ends_with(port)) return authority;
  const std::string_view host = std::string_view(authority).substr(0, authority.size() - port.size());
  if (host.ends_with(']') || host.find(':') == std::string_view::npos) authority.resize(host.size());
  return authority;
}

}  // namespace

std::string normalizeOrigin(std::string_view origin) {
  std::string o = lower(origin);
  const auto sep = o.find("://");
  if (sep == std::string::npos) return o;
  const std::string scheme = o.substr(0, sep);
  return scheme + "://" + withoutDefaultPort(o.substr(sep + 3), scheme);
}

OriginPolicy::OriginPolicy(const std::vector<std::string>& allowed, std::string_view publicOrigin) {
  for (const auto& origin : allowed) {
    if (origin == "*") any_ = true;
    else origins_.push_back(normalizeOrigin(origin));
  }
  if (!publicOrigin.empty()) origins_.push_back(normalizeOrigin(publicOrigin));
}

bool OriginPolicy::allows(std::string_view origin, std::string_view host) const {
  if (origin.empty() || any_) return true;
  const std::string o = normalizeOrigin(origin);
  if (std::find(origins_.begin(), origins_.end(), o) != origins_.end()) return true;
  // The server's own origin, scheme-relative: the page came from the host the browser is now
  // asking for /ws.
  const auto sep = o.find("://");
  if (sep == std::string::npos || host.empty()) return false;
  const std::string scheme = o.substr(0, sep);
  if (scheme != "http" && scheme != "https") return false;
  return o.substr(sep + 3) == withoutDefaultPort(lower(host), scheme);
}

}  // namespace huddle::server
