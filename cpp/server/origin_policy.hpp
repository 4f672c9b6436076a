// Which pages may open the signaling WebSocket (/ws), by the Origin header browsers send with it
// (RFC 6455 §4.2.1, §10.2). Without this check any site could drive its visitors' browsers to
// open /ws: to use them as relays or to guess room codes from many addresses at once.
// docs/security.md, "Origins".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace huddle::server {

class OriginPolicy {
 public:
  // `allowed`: configured origins ("https://games.example"), "*" for every origin.
  // `publicOrigin`: ServerConfig::publicOrigin ("" when unset); always allowed.
  OriginPolicy(const std::vector<std::string>& allowed, std::string_view publicOrigin);

  // `origin`: the request's Origin header ("" when absent); `host`: its Host header.
  // Allowed: no Origin (not a browser: Origin only guards browsers, and anything else can send
  // whatever it likes), "*" configured, the server's own origin (the Origin's host and port equal
  // the Host header, either scheme, so a TLS proxy in front changes nothing), publicOrigin, or a
  // configured origin. Scheme and host compare case-insensitively, default ports are implied.
  bool allows(std::string_view origin, std::string_view host) const;

 private:
  bool any_ = false;
  std::vector<std::string> origins_;  // normalized (normalizeOrigin)
};

// "HTTPS://Games.Example:443" -> "https://games.example"; "null" and other opaque origins stay as
// they are (lowercased).
std::string normalizeOrigin(std::string_view origin);

}  // namespace huddle::server
