#include "server/app_page.hpp"

#include <system_error>

#include "server/link_preview.hpp"
#include "server/script_injection.hpp"

namespace huddle::server {
namespace fs = std::filesystem;

std::shared_ptr<const AppPage::Snapshot> AppPage::load(const fs::path& file, ReadResult& result) const {
  std::error_code ec;
  const auto modified = fs::last_write_time(file, ec);
  if (ec) {
    result = ReadResult::Unreadable;
    return nullptr;
  }
  const auto size = fs::file_size(file, ec);
  if (ec) {
    result = ReadResult::Unreadable;
    return nullptr;
  }
  {
    std::lock_guard lock(mutex_);
    if (snapshot_ && snapshot_->file == file && snapshot_->modified == modified && snapshot_->size == size)
      return snapshot_;
  }
  // Read outside the lock: another thread may read the same new file meanwhile; either copy is right.
  auto next = std::make_shared<Snapshot>();
  next->file = file;
  next->modified = modified;
  result = readFileUpTo(file, kMaxAppPageBytes, next->html);
  if (result != ReadResult::Ok) return nullptr;
  // The size read, not the size stat'ed: a file written meanwhile is read again next time.
  next->size = next->html.size();
  next->insertAt = headInsertionPoint(next->html);
  std::lock_guard lock(mutex_);
  snapshot_ = next;
  return next;
}

ReadResult AppPage::render(const fs::path& file, std::string_view path, std::string_view origin,
                           std::string& out) const {
  ReadResult result = ReadResult::Ok;
  const auto page = load(file, result);
  if (!page) return result;
  const std::string tags = previewTags(path, origin);
  const std::string_view html = page->html;
  out.clear();
  out.reserve(html.size() + tags.size());
  out.append(html.substr(0, page->insertAt)).append(tags).append(html.substr(page->insertAt));
  return ReadResult::Ok;
}

}  // namespace huddle::server
