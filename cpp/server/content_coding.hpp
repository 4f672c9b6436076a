// Content codings for static files (RFC 9110 §8.4.1): which ones a request's Accept-Encoding
// admits (§12.5.3), and which one to send. huddle-server compresses nothing itself: a file is
// sent as is, or as a precompressed sibling next to it (app.js.br, app.js.gz), written at build
// time by scripts/precompress.mjs.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace huddle::server {

enum class ContentCoding { Identity, Gzip, Brotli };

// The Content-Encoding token: "br", "gzip"; empty for Identity.
std::string_view codingToken(ContentCoding coding);

// The file name suffix of a precompressed sibling: ".br", ".gz"; empty for Identity.
std::string_view siblingSuffix(ContentCoding coding);

// `file` with the coding's suffix appended: where that coding's sibling of `file` would be.
std::filesystem::path siblingPath(const std::filesystem::path& file, ContentCoding coding);

// Which precompressed siblings a file has (only fresh ones count: static_files.hpp).
struct Siblings {
  bool brotli = false;
  bool gzip = false;
};

// A q-value in thousandths: 0 refuses, 1000 is "q=1" (the default).
inline constexpr int kQualityMax = 1000;

// What a request's Accept-Encoding admits, as q-values.
struct AcceptedCodings {
  int brotli = 0;
  int gzip = 0;
  // Only when the header names identity: it then competes with the codings on its q-value.
  // Unnamed, identity is acceptable but the last choice.
  std::optional<int> identity;
};

// Reads an Accept-Encoding field value: a comma-separated list of `coding[;q=value]`. Codings and
// the parameter name are case-insensitive; `x-gzip` is gzip (§8.4.1.3); `*` gives its q-value
// to br and gzip when they are not listed themselves; the first entry for a coding wins; unknown
// codings and entries with a malformed q-value are ignored. An empty or missing field admits
// nothing but identity (for an absent one RFC 9110 allows anything, but a client that sends no
// Accept-Encoding, like curl without --compressed, mostly cannot decode either).
AcceptedCodings parseAcceptEncoding(std::string_view header);

// The coding to send: the more accepted of br and gzip among the siblings there are (br on a
// tie: it is the smaller), unless neither is accepted (q=0 or unlisted) or the request names
// identity with a higher q-value; then Identity. When the request refuses everything,
// identity is sent anyway (RFC 9110 lets a server disregard Accept-Encoding rather than fail).
ContentCoding chooseCoding(const AcceptedCodings& accepted, Siblings siblings);

}  // namespace huddle::server
