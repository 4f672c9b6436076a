// The document behind RoomState: key -> JSON value, each key with the Lamport stamp of the write that
// set it (a deleted key keeps its stamp as a tombstone until the host collects it, which raises
// the floor), per writer the number of its last sequenced write, its size as the limits count it,
// and a hash that is the same on every copy holding the same content (docs/protocol.md "Room state").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "huddle/state_frames.hpp"

namespace huddle::state {

// Last-writer-wins order: the higher Lamport clock wins, the higher peer id breaks ties, so every
// member picks the same winner whatever order it saw the writes in.
bool stampAfter(std::uint64_t lamport, const std::string& peer, std::uint64_t otherLamport, const std::string& otherPeer);

// An entry's size in a snapshot frame, in bytes of JSON text with its separator (frames.cpp).
std::size_t stateEntryBytes(const StateEntry& entry);

struct DocEntry {
  std::optional<std::string> value;  // JSON text; none: deleted
  std::uint64_t lamport = 0;
  std::string peer;
};

enum class Applied {
  Changed,   // the change won and is now the key's entry
  Older,     // the key holds a later write: the change lost (still sequenced)
  TooLarge,  // applying it would pass kMaxStateBytes or kMaxStateKeys: refused (still sequenced)
};

class Document {
 public:
  // Applies the sequenced write number `n` of `writer` (last-writer-wins; refused past the caps,
  // the same way on every copy). The writer's count becomes n whatever the outcome.
  Applied apply(const std::string& writer, std::uint64_t n, const std::string& key,
                const std::optional<std::string>& value, std::uint64_t lamport);

  const DocEntry* find(const std::string& key) const;
  const std::map<std::string, DocEntry>& entries() const { return entries_; }
  const std::map<std::string, std::uint64_t>& applied() const { return applied_; }
  std::uint64_t appliedFor(const std::string& writer) const;

  // For building a copy from a snapshot (the caller bounds what it inserts).
  void insert(const std::string& key, DocEntry entry);
  void setApplied(const std::string& writer, std::uint64_t n);
  void setFloor(std::uint64_t floor);

  // Tombstones stamped at or below `floor` go, and the floor rises to it: from then on a key
  // without an entry counts as deleted at the floor (apply). Returns how many went. Only what the
  // host sequenced calls it, so every copy collects the same at the same place.
  std::size_t collect(std::uint64_t floor);
  std::uint64_t floor() const { return floor_; }
  std::uint64_t tombstonesAtOrBelow(std::uint64_t lamport) const;

  std::size_t bytes() const { return bytes_; }
  std::size_t keys() const { return entries_.size(); }
  // Kept up to date with every change (cheap enough to send with each).
  std::uint64_t hash() const { return hash_; }
  // Computed from the content again: what catches a copy that changed behind the running hash.
  std::uint64_t recomputeHash() const;
  // Makes the running hash the content's again (a new host's copy, before it vouches for it).
  void rehash() { hash_ = recomputeHash(); }

  // Tests: changes a key's value the way a bug would, behind the running hash (sizes stay right).
  void corruptForTesting(const std::string& key, std::string value);

  static std::size_t entryBytes(const std::string& key, const std::optional<std::string>& value);

 private:
  void account(const std::string& key, const DocEntry& entry, bool add);
  void accountWriter(const std::string& writer, std::uint64_t n, bool add);

  std::map<std::string, DocEntry> entries_;
  std::map<std::string, std::uint64_t> applied_;
  std::size_t bytes_ = 0;
  std::uint64_t hash_ = 0;
  std::uint64_t floor_ = 0;  // the Lamport stamp below which collected deletes lie
};

}  // namespace huddle::state
