// Puts a script tag into an HTML page so that it runs before any of the page's own scripts: the
// way experiences served by huddle-server get the P2P global without changing a line.
// Pure text work, no HTML parser: only the document's opening (doctype, comments, <html>, <head>)
// is looked at.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace huddle::server {

// What experiences' HTML gets: p2p.js defines window.P2P (docs/experiences.md).
inline constexpr std::string_view kP2pScriptTag = R"(<script src="/p2p.js"></script>)";

// Returns `html` with `tag` inserted
//   - right after the opening <head ...> tag, if the document has one before any content;
//   - else right after the opening <html ...> tag, if present;
//   - else at the start, but after a byte-order mark, a doctype and comments that open the
//     document (a tag before the doctype would switch the page to quirks mode).
// Tag names match case-insensitively; "<header>" or "<head-x>" is not the head tag. A "<head>"
// that comes after other content (text, <body>, <title>, ...) is not the head either (browsers
// ignore it), so the tag then goes after <html> or at the start. Quoted attribute values may
// hold '>'. Never fails: malformed input gets the tag at the start.
std::string insertScriptTag(std::string_view html, std::string_view tag);

// Where insertScriptTag puts its tag: an offset into `html` by the rules above. Also where the
// app page's link preview tags go (app_page.hpp).
std::size_t headInsertionPoint(std::string_view html);

}  // namespace huddle::server
