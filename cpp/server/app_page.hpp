// The web app's index.html as huddle-server answers it: the file, kept in memory, with the link
// preview tags (link_preview.hpp) for the request's path put into its head. The file is read
// again only when its size or modification time changes (one stat per request, which resolving
// the target does anyway), so a rebuilt app is served at once without a read per request.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "server/experiences.hpp"

namespace huddle::server {

// A bigger index.html is not served (it is a few hundred bytes; a megabyte means a mistake).
inline constexpr std::uintmax_t kMaxAppPageBytes = 1024 * 1024;

class AppPage {
 public:
  // Writes the page at `file` with the tags for `path` (no query) and `origin` into `out`.
  // Thread-safe: the cached text is shared, and a reload swaps it under a short lock.
  ReadResult render(const std::filesystem::path& file, std::string_view path, std::string_view origin,
                    std::string& out) const;

 private:
  struct Snapshot {
    std::filesystem::path file;
    std::filesystem::file_time_type modified;
    std::uintmax_t size = 0;
    std::string html;
    std::size_t insertAt = 0;  // where the tags go: just inside <head> (script_injection.hpp)
  };
  // The cached page for `file`, read again if it changed. nullptr with `result` set on failure.
  std::shared_ptr<const Snapshot> load(const std::filesystem::path& file, ReadResult& result) const;

  mutable std::mutex mutex_;
  mutable std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace huddle::server
