// Maps request targets onto files of the web app directory: percent-decoding, path traversal
// refusal, MIME types (application/wasm included), cache policy and the single-page-app fallback
// (/r/CODE and extension-less paths are answered with index.html). No I/O beyond stat.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace huddle::server {

struct StaticTarget {
  enum class Kind {
    File,        // serve `file`
    NotFound,    // 404
    BadRequest,  // 400: malformed or escaping target (e.g. "/../etc/passwd", "%2e%2e")
  };
  Kind kind = Kind::NotFound;
  std::filesystem::path file;
  std::string contentType;
  std::string cacheControl;
};

class StaticFiles {
 public:
  // `root` may be relative (to the working directory at construction) and need not exist yet.
  explicit StaticFiles(const std::filesystem::path& root);

  // Resolves a request target (path plus optional ?query) for GET/HEAD.
  StaticTarget resolve(std::string_view target) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  StaticTarget serve(const std::filesystem::path& file, bool isIndex, bool immutable) const;
  bool insideRoot(const std::filesystem::path& file) const;

  std::filesystem::path root_;  // absolute, normalized
};

// Content-Type for a file name by its extension; application/octet-stream when unknown.
std::string mimeType(std::string_view fileName);

// Percent-decodes a URL path. Fails (returns false) on a bad escape or a decoded NUL byte.
bool decodeUrlPath(std::string_view in, std::string& out);

}  // namespace huddle::server
