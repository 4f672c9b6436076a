// What a pasted huddle link shows in chat apps and social sites: Open Graph and Twitter card
// <meta> tags for the web app's page. A share link (/r/CODE) previews as "Join room CODE on
// huddle"; every other page of the app, and any /r/... that holds no valid room code, gets the
// generic text. Pure text work: nothing here reads files or sockets.
//
// Attacker's view: the path and the Host header come from whoever sends the request. Only a
// valid room code (limits::kRoomCodeAlphabet, normalized) is ever copied from the path into the
// page, only a well-formed host name or address from the Host header, and every value is
// HTML-escaped all the same.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace huddle::server {

// The room code of a share link path (no query): "/r/" then a room code in any case, an optional
// trailing slash, percent-escapes allowed. Uppercase, as the app shows it; nullopt for anything
// else, room names included (the app's links carry codes; names belong to embedding sites).
std::optional<std::string> shareLinkCode(std::string_view path);

// Escapes & < > " ' for use in HTML text and double- or single-quoted attribute values.
std::string escapeHtml(std::string_view text);

// "http://HOST" or "https://HOST" from a request's Host header (and X-Forwarded-Proto, set by a
// TLS-terminating proxy), or nullopt when the host is not a plain host name, IPv4 or [IPv6]
// address with an optional port.
std::optional<std::string> originFromHost(std::string_view host, std::string_view forwardedProto);

// Checks a configured public origin ("https://huddle.example", "http://10.0.0.5:8080"): scheme,
// host and optional port only. Returns "" when valid, else what is wrong.
std::string validatePublicOrigin(std::string_view origin);

// The <meta> tags for a page of the app at `path` (no query), each on its own line. `origin` is
// where the page lives (no trailing slash; from config or originFromHost); when empty, og:url is
// left out (it must be absolute).
std::string previewTags(std::string_view path, std::string_view origin);

}  // namespace huddle::server
