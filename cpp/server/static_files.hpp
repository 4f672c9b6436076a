// Maps request targets onto files of a directory: percent-decoding, path traversal refusal, MIME
// types (application/wasm included), cache policy, the precompressed siblings a file has, and per
// kind of tree either the web app's single-page-app fallback (/r/CODE and extension-less paths
// are answered with index.html) or redirects of directories to their trailing slash. No I/O
// beyond stat.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "server/content_coding.hpp"

namespace huddle::server {

struct StaticTarget {
  enum class Kind {
    File,        // serve `file`
    Redirect,    // 301 to `location`
    NotFound,    // 404
    BadRequest,  // 400: malformed or escaping target (e.g. "/../etc/passwd", "%2e%2e", "a%2fb")
  };
  Kind kind = Kind::NotFound;
  std::filesystem::path file;
  std::string contentType;
  std::string cacheControl;
  // Worth compressing by its type (text, JSON, Wasm, SVG): sent from disk, it carries
  // Vary: Accept-Encoding, whether or not a sibling is sent (pages the server rewrites do not).
  bool compressible = false;
  // Its .br/.gz siblings that may be sent instead: regular files inside the root, not older than
  // the file (a sibling left over from before an edit is ignored, not served stale).
  Siblings siblings;
  std::string location;          // Redirect: the target path with its slash, and the query
  bool insertP2pScript = false;  // an experience's HTML page: p2p.js goes in (experiences.hpp)
  bool appPage = false;          // the web app's index.html: link preview tags go in (app_page.hpp)
};

// What kind of tree a StaticFiles serves.
enum class StaticTree {
  // The built web app: /assets/* have content-hashed names (cached for good), and share links
  // (/r/CODE) and extension-less client routes fall back to index.html.
  App,
  // Plain files (experiences): no fallback, nothing cached for good, and a directory asked for
  // without its trailing slash is redirected to it, so relative URLs in its index.html resolve.
  Plain,
};

class StaticFiles {
 public:
  // `root` may be relative (to the working directory at construction) and need not exist yet.
  explicit StaticFiles(const std::filesystem::path& root, StaticTree tree = StaticTree::App);

  // Resolves a request target (path plus optional ?query) for GET/HEAD.
  StaticTarget resolve(std::string_view target) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  StaticTarget serve(const std::filesystem::path& file, bool isIndex, bool immutable) const;
  bool insideRoot(const std::filesystem::path& file) const;
  Siblings findSiblings(const std::filesystem::path& file) const;

  std::filesystem::path root_;  // absolute, normalized
  StaticTree tree_;
};

// Content-Type for a file name by its extension; application/octet-stream when unknown.
std::string mimeType(std::string_view fileName);

// True for content types worth compressing: text/*, JSON, JavaScript, XML, SVG and Wasm. Images,
// fonts and media are compressed already. scripts/precompress.mjs picks files by the extensions
// that map to these types.
bool isCompressible(std::string_view contentType);

// Percent-decodes a URL path. Fails (returns false) on a bad escape or a decoded NUL byte.
bool decodeUrlPath(std::string_view in, std::string& out);

}  // namespace huddle::server
