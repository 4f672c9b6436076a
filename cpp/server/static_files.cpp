#include "server/static_files.hpp"

#include <algorithm>
#include <array>
#include <system_error>
#include <utility>
#include <vector>

namespace huddle::server {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kIndex = "index.html";
constexpr std::string_view kNoCache = "no-cache";
// Vite puts content-hashed names under /assets/, so those can be cached forever.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

bool isRegularFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

StaticTarget status(StaticTarget::Kind kind) {
  StaticTarget t;
  t.kind = kind;
  return t;
}

StaticTarget redirect(std::string location) {
  StaticTarget t;
  t.kind = StaticTarget::Kind::Redirect;
  t.location = std::move(location);
  return t;
}

// "%2f" or "%5c" (either case): a slash or backslash that would appear only after decoding. No
// file name needs one, and refusing them keeps one segment from turning into two.
bool hasEncodedSeparator(std::string_view path) {
  for (std::size_t i = path.find('%'); i != std::string_view::npos && i + 2 < path.size(); i = path.find('%', i + 1)) {
    const std::string escape = lower(path.substr(i + 1, 2));
    if (escape == "2f" || escape == "5c") return true;
  }
  return false;
}

}  // namespace

bool decodeUrlPath(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hexValue(in[i + 1]);
      int lo = hexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return false;
    out.push_back(c);
  }
  return true;
}

std::string mimeType(std::string_view fileName) {
  static const std::array<std::pair<std::string_view, std::string_view>, 27> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".wasm", "application/wasm"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".mp3", "audio/mpeg"},
      {".wav", "audio/wav"},
      {".ogg", "audio/ogg"},
      {".mp4", "video/mp4"},
      {".webm", "video/webm"},
  }};
  auto dot = fileName.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const std::string ext = lower(fileName.substr(dot));
  for (const auto& [e, type] : kTypes)
    if (e == ext) return std::string(type);
  return "application/octet-stream";
}

bool isCompressible(std::string_view contentType) {
  const std::string type = lower(contentType.substr(0, contentType.find(';')));
  return type.starts_with("text/") || type == "application/json" || type == "application/manifest+json" ||
         type == "application/xml" || type == "application/wasm" || type == "image/svg+xml";
}

StaticFiles::StaticFiles(const fs::path& root, StaticTree tree) : tree_(tree) {
  std::error_code ec;
  fs::path absolute = fs::absolute(root, ec);
  if (ec) absolute = root;
  // weakly_canonical resolves symlinks of the existing part, so the containment check below
  // compares like with like.
  root_ = fs::weakly_canonical(absolute, ec);
  if (ec) root_ = absolute.lexically_normal();
}

bool StaticFiles::insideRoot(const fs::path& file) const {
  std::error_code ec;
  fs::path real = fs::canonical(file, ec);
  if (ec) return false;
  auto [r, f] = std::mismatch(root_.begin(), root_.end(), real.begin(), real.end());
  return r == root_.end() || (r->empty() && std::next(r) == root_.end());
}

Siblings StaticFiles::findSiblings(const fs::path& file) const {
  std::error_code ec;
  const auto modified = fs::last_write_time(file, ec);
  if (ec) return {};
  auto usable = [&](ContentCoding coding) {
    const fs::path sibling = siblingPath(file, coding);
    std::error_code siblingError;
    if (!isRegularFile(sibling) || !insideRoot(sibling)) return false;
    const auto siblingModified = fs::last_write_time(sibling, siblingError);
    return !siblingError && siblingModified >= modified;
  };
  return Siblings{usable(ContentCoding::Brotli), usable(ContentCoding::Gzip)};
}

StaticTarget StaticFiles::serve(const fs::path& file, bool isIndex, bool immutable) const {
  // A symlink pointing outside the root is treated as absent.
  if (!insideRoot(file)) return status(StaticTarget::Kind::NotFound);
  StaticTarget t;
  t.kind = StaticTarget::Kind::File;
  t.file = file;
  t.contentType = mimeType(file.filename().string());
  t.cacheControl = std::string(isIndex || !immutable ? kNoCache : kImmutable);
  t.appPage = tree_ == StaticTree::App && file == root_ / kIndex;
  t.compressible = isCompressible(t.contentType);
  // The app page is rewritten per request (app_page.hpp): a compressed copy of the file is no use.
  if (t.compressible && !t.appPage) t.siblings = findSiblings(file);
  return t;
}

StaticTarget StaticFiles::resolve(std::string_view target) const {
  // The query and fragment play no part in finding the file; a redirect keeps the query.
  const std::size_t pathEnd = target.find_first_of("?#");
  const std::string_view query = pathEnd != std::string_view::npos && target[pathEnd] == '?'
                                     ? target.substr(pathEnd, target.find('#', pathEnd) - pathEnd)
                                     : std::string_view();
  target = target.substr(0, pathEnd);
  if (target.empty() || target.front() != '/') return status(StaticTarget::Kind::BadRequest);
  if (hasEncodedSeparator(target)) return status(StaticTarget::Kind::BadRequest);

  std::string path;
  if (!decodeUrlPath(target, path)) return status(StaticTarget::Kind::BadRequest);

  // Split after decoding, so "%2e%2e" and "..%2f" are seen for what they are.
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string segment = path.substr(start, end - start);
    start = end + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == ".." || segment.find('\\') != std::string::npos)
      return status(StaticTarget::Kind::BadRequest);
    // Dotfiles (.git, .env, ...) are never part of a built web app.
    if (segment.front() == '.') return status(StaticTarget::Kind::NotFound);
    segments.push_back(std::move(segment));
  }

  const fs::path index = root_ / kIndex;
  if (segments.empty()) {
    return isRegularFile(index) ? serve(index, true, false) : status(StaticTarget::Kind::NotFound);
  }

  fs::path file = root_;
  for (const auto& segment : segments) file /= segment;
  const bool app = tree_ == StaticTree::App;
  const bool immutable = app && segments.size() > 1 && segments.front() == "assets";
  std::error_code ec;
  if (fs::is_directory(file, ec) && isRegularFile(file / kIndex)) {
    if (!app && path.back() != '/') return redirect(std::string(target) + "/" + std::string(query));
    return serve(file / kIndex, true, false);
  }
  if (isRegularFile(file)) return serve(file, segments.size() == 1 && segments.front() == kIndex, immutable);
  if (!app) return status(StaticTarget::Kind::NotFound);

  // Single-page-app fallback: share links (/r/CODE) and client-side routes (no extension) get
  // the app; a missing asset (/assets/x.js, /favicon.ico) stays a 404.
  const bool shareLink = segments.front() == "r";
  const bool noExtension = segments.back().find('.') == std::string::npos;
  if ((shareLink || noExtension) && isRegularFile(index)) return serve(index, true, false);
  return status(StaticTarget::Kind::NotFound);
}

}  // namespace huddle::server
