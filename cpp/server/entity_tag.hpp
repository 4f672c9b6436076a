// Validators for static responses: strong entity tags (RFC 9110 §8.8.3) and If-None-Match
// (§13.1.2), so a browser revalidating a `no-cache` file gets 304 Not Modified and no body
// when its copy is current.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "server/content_coding.hpp"

namespace huddle::server {

// The tag of a file sent from disk, from the size and modification time (ns since the epoch) of
// the bytes sent: "<size hex>-<mtime hex>", and "-br"/"-gz" before the closing quote for a
// precompressed sibling. The suffix keeps every coding's tag distinct from the identity one
// (§8.8.3: a strong tag names one sequence of bytes) even if two files had equal stats.
std::string fileEntityTag(std::uintmax_t size, std::int64_t modifiedNs, ContentCoding coding);

// The tag of a page the server writes per request (the app page, an experience page): a 64-bit
// FNV-1a hash of the bytes sent, "h<hex>". Computing it costs one pass over a few kilobytes.
std::string contentEntityTag(std::string_view content);

// True when an If-None-Match field value matches `etag`: "*", or a list of entity tags of which
// one equals `etag` by weak comparison (W/ prefixes ignored, §8.8.3.2). A GET or HEAD that
// matches is answered 304. An empty or malformed field value matches nothing (the full response
// is always a safe answer).
bool ifNoneMatchHits(std::string_view ifNoneMatch, std::string_view etag);

}  // namespace huddle::server
