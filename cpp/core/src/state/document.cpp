#include "state/document.hpp"

#include "huddle/limits.hpp"

namespace huddle::state {
namespace {

// FNV-1a over the parts, each followed by a separator byte that no part's own bytes make ambiguous
// (lengths go in as numbers), then a final mix so that sums of many entries stay well spread.
struct Fnv {
  std::uint64_t h = 14695981039346656037ull;
  Fnv& bytes(std::string_view s) {
    number(s.size());
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return *this;
  }
  Fnv& number(std::uint64_t v) {
    for (int i = 0; i < 8; ++i, v >>= 8) h = (h ^ (v & 0xff)) * 1099511628211ull;
    return *this;
  }
  std::uint64_t done() const {
    std::uint64_t z = h + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
};

// The document hash is the sum of its parts' hashes: independent of map order, and updated by
// subtracting the old part and adding the new one.
std::uint64_t entryHash(const std::string& key, const DocEntry& e) {
  Fnv f;
  f.number(1).bytes(key).number(e.value ? 1 : 0).bytes(e.value ? *e.value : "").number(e.lamport).bytes(e.peer);
  return f.done();
}

std::uint64_t writerHash(const std::string& writer, std::uint64_t n) { return Fnv{}.number(2).bytes(writer).number(n).done(); }

std::size_t writerBytes(const std::string& writer) { return writer.size() + limits::kStateEntryOverheadBytes; }

std::uint64_t floorHash(std::uint64_t floor) { return floor == 0 ? 0 : Fnv{}.number(3).number(floor).done(); }

}  // namespace

bool stampAfter(std::uint64_t lamport, const std::string& peer, std::uint64_t otherLamport, const std::string& otherPeer) {
  if (lamport != otherLamport) return lamport > otherLamport;
  return peer > otherPeer;
}

std::size_t Document::entryBytes(const std::string& key, const std::optional<std::string>& value) {
  return key.size() + (value ? value->size() : 0) + limits::kStateEntryOverheadBytes;
}

void Document::account(const std::string& key, const DocEntry& entry, bool add) {
  std::size_t b = entryBytes(key, entry.value);
  std::uint64_t h = entryHash(key, entry);
  bytes_ = add ? bytes_ + b : bytes_ - b;
  hash_ = add ? hash_ + h : hash_ - h;
}

void Document::accountWriter(const std::string& writer, std::uint64_t n, bool add) {
  std::uint64_t h = writerHash(writer, n);
  hash_ = add ? hash_ + h : hash_ - h;
}

Applied Document::apply(const std::string& writer, std::uint64_t n, const std::string& key,
                        const std::optional<std::string>& value, std::uint64_t lamport) {
  // The writer's count first: a refused or losing write was still sequenced, and must not be
  // taken again when it is sent again. (A new writer's record may pass the cap by its own size:
  // exactly-once needs it; writers are members, whose number the room bounds.)
  auto w = applied_.find(writer);
  if (w == applied_.end()) {
    w = applied_.emplace(writer, 0).first;
    bytes_ += writerBytes(writer);
  } else {
    accountWriter(writer, w->second, false);
  }
  w->second = n;
  accountWriter(writer, n, true);

  auto it = entries_.find(key);
  if (it != entries_.end() && !stampAfter(lamport, writer, it->second.lamport, it->second.peer)) return Applied::Older;
  // A key without an entry may have been deleted and its tombstone collected: a write stamped at
  // or below the floor could be older than that delete, and loses.
  if (it == entries_.end() && lamport <= floor_) return Applied::Older;
  std::size_t oldBytes = it == entries_.end() ? 0 : entryBytes(key, it->second.value);
  std::size_t newKeys = entries_.size() + (it == entries_.end() ? 1 : 0);
  if (bytes_ - oldBytes + entryBytes(key, value) > limits::kMaxStateBytes || newKeys > limits::kMaxStateKeys) {
    return Applied::TooLarge;
  }
  if (it != entries_.end()) {
    account(key, it->second, false);
    it->second = DocEntry{value, lamport, writer};
  } else {
    it = entries_.emplace(key, DocEntry{value, lamport, writer}).first;
  }
  account(key, it->second, true);
  return Applied::Changed;
}

const DocEntry* Document::find(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

std::uint64_t Document::appliedFor(const std::string& writer) const {
  auto it = applied_.find(writer);
  return it == applied_.end() ? 0 : it->second;
}

void Document::insert(const std::string& key, DocEntry entry) {
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    account(key, it->second, false);
    it->second = std::move(entry);
  } else {
    it = entries_.emplace(key, std::move(entry)).first;
  }
  account(key, it->second, true);
}

void Document::setApplied(const std::string& writer, std::uint64_t n) {
  auto w = applied_.find(writer);
  if (w == applied_.end()) {
    w = applied_.emplace(writer, 0).first;
    bytes_ += writerBytes(writer);
  } else {
    accountWriter(writer, w->second, false);
  }
  w->second = n;
  accountWriter(writer, n, true);
}

std::size_t Document::collect(std::uint64_t floor) {
  if (floor <= floor_) return 0;
  hash_ -= floorHash(floor_);
  floor_ = floor;
  hash_ += floorHash(floor_);
  std::size_t dropped = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.value || it->second.lamport > floor_) {
      ++it;
      continue;
    }
    account(it->first, it->second, false);
    it = entries_.erase(it);
    ++dropped;
  }
  return dropped;
}

void Document::setFloor(std::uint64_t floor) {
  hash_ -= floorHash(floor_);
  floor_ = floor;
  hash_ += floorHash(floor_);
}

std::uint64_t Document::tombstonesAtOrBelow(std::uint64_t lamport) const {
  std::uint64_t n = 0;
  for (const auto& [key, entry] : entries_) n += !entry.value && entry.lamport <= lamport ? 1 : 0;
  return n;
}

std::uint64_t Document::recomputeHash() const {
  std::uint64_t h = floorHash(floor_);
  for (const auto& [key, entry] : entries_) h += entryHash(key, entry);
  for (const auto& [writer, n] : applied_) h += writerHash(writer, n);
  return h;
}

void Document::corruptForTesting(const std::string& key, std::string value) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    it = entries_.emplace(key, DocEntry{std::nullopt, 1, "corrupt"}).first;
  } else {
    bytes_ -= entryBytes(key, it->second.value);
  }
  it->second.value = std::move(value);
  bytes_ += entryBytes(key, it->second.value);
}

}  // namespace huddle::state
