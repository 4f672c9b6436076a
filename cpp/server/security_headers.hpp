// The headers that protect the web app's own pages (index.html, served for / and /r/CODE):
// docs/security.md, "Security headers". Only there: the experiences must stay framable (by the
// app page and by embedding sites), and huddle.js, p2p.js and the assets are loaded by other
// sites' pages, where a policy on a script file would mean nothing anyway.
#pragma once

#include <string_view>

#include "server/net.hpp"

namespace huddle::server {

// What the app loads, and nothing else: its own scripts plus compiling its Wasm
// ('wasm-unsafe-eval'), its stylesheet, images it draws (data:, blob: for received files), its
// WebSocket and fetches to this server ('self' covers ws:/wss: to the same host) and to the blob:
// URLs of files it received, experiences framed from /experiences/ ('self'). frame-ancestors 'none': no other page may frame the app
// (clickjacking a "join" or "share" click).
inline constexpr std::string_view kAppContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' blob:; frame-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// Share links carry the room code in the path (/r/CODE): never sent to other sites as a Referer.
inline constexpr std::string_view kAppReferrerPolicy = "same-origin";

template <class Response>
void setAppPageHeaders(Response& res) {
  res.set("Content-Security-Policy", kAppContentSecurityPolicy);
  res.set("Referrer-Policy", kAppReferrerPolicy);
  res.set("X-Content-Type-Options", "nosniff");
}

}  // namespace huddle::server
