// Frames of the replicated room state (docs/protocol.md "Room state"): JSON objects {"t": TYPE, ...}
// that members exchange (later carried inside peer frames). Every decoded frame is fully validated:
// keys and values follow the rules of RoomState::set, ids the rules of peer ids, numbers are
// integers JavaScript holds exactly, hashes 16 hex digits. The sender is never read from a frame:
// the transport says who sent it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "huddle/error.hpp"

namespace huddle::state {

// One host's run of sequence numbers: started by `host` when it took over, numbered one past the
// highest epoch any present member held. {0, ""} is the empty history before any host.
struct Epoch {
  std::uint64_t number = 0;
  std::string host;
  friend bool operator==(const Epoch& a, const Epoch& b) { return a.number == b.number && a.host == b.host; }
  friend bool operator!=(const Epoch& a, const Epoch& b) { return !(a == b); }
};

// How far a copy of the document is: the host's (epoch, seq) of the last change it holds.
struct Position {
  Epoch epoch;
  std::uint64_t seq = 0;
  friend bool operator==(const Position& a, const Position& b) { return a.epoch == b.epoch && a.seq == b.seq; }
  friend bool operator!=(const Position& a, const Position& b) { return !(a == b); }
};

// sw: a member's write, to the host. `n` numbers the writer's writes (1, 2, 3, ...) so the host
// takes each exactly once and in order; `epoch` is the host epoch the writer is synced to (writes
// for another epoch are ignored and sent again). No value: a delete.
struct StateWrite {
  Epoch epoch;
  std::uint64_t n = 0;
  std::string key;
  std::optional<std::string> value;  // JSON text
  std::uint64_t lamport = 0;
};

// sc: a change the host sequenced, to everyone (or as the tail of a sync): the write of `writer`
// numbered `n`, at `seq` in `epoch`; `hash` is the host's document hash after applying it.
struct StateChange {
  Epoch epoch;
  std::uint64_t seq = 0;
  std::string writer;
  std::uint64_t n = 0;
  std::string key;
  std::optional<std::string> value;
  std::uint64_t lamport = 0;
  std::uint64_t hash = 0;
  // Not 0: this change is no write but a collection ("g"): tombstones stamped at or below it go,
  // and the document's floor rises to it (writer, n, key, value and lamport are unused).
  std::uint64_t collect = 0;
};

// sr: "I am at `from`; bring me up to date" (to the host), or, from a host taking over, "send me
// your copy" (full). `q` names the request; answers carry it and a member takes only the answer to
// its outstanding request (so a repeated request never installs two snapshots).
struct StateRequest {
  std::uint64_t q = 0;
  Position from;
  bool full = false;  // a snapshot, not a tail
};

// One entry of a snapshot: the key's value (none: deleted, a tombstone) and the stamp that wrote it.
struct StateEntry {
  std::string key;
  std::optional<std::string> value;
  std::uint64_t lamport = 0;
  std::string peer;
};

// sh: part `part` of `parts` of a snapshot at `position` whose hash is `hash`: entries and, per
// writer, the number of its last sequenced write.
struct StateSnapshot {
  std::uint64_t q = 0;
  Position position;
  std::uint64_t hash = 0;
  std::uint32_t part = 0;
  std::uint32_t parts = 1;
  std::vector<StateEntry> entries;
  std::vector<std::pair<std::string, std::uint64_t>> applied;
  std::uint64_t floor = 0;  // "f": the document's floor (collected deletes lie at or below it)
};

// sf: the host's announcement of its position and document hash, every kStateHashIntervalMs and
// when it starts an epoch; also closes a tail.
struct StateHash {
  Position position;
  std::uint64_t hash = 0;
};

// sq: a host taking over asks each present member how far it is.
struct StateQuery {
  std::uint64_t q = 0;
};

// sa: the answer to sq (q as asked), or, with q 0, a member's progress report after sf (the host
// drops its own writes from its resend list once a member holds them). `ok`: the member's copy
// hashes to what the host said it should at that position (a corrupted copy says false and is
// never chosen to continue from).
struct StateAnswer {
  std::uint64_t q = 0;
  Position position;
  std::uint64_t hash = 0;
  bool ok = true;
  // "c": the lowest Lamport stamp this member may still write with (its oldest waiting write's,
  // or one above its clock); 0: not said. The host collects only deletes below everyone's.
  std::uint64_t lowest = 0;
};

// ss: "your copy at (previous, seq) is where my epoch started: you are at (epoch, seq)"; the tail
// of the epoch follows. Saves a snapshot for every member that was in step when the host changed.
struct StateRebase {
  std::uint64_t q = 0;
  Epoch epoch;
  Epoch previous;
  std::uint64_t seq = 0;
  std::uint64_t hash = 0;
};

using StateFrame =
    std::variant<StateWrite, StateChange, StateRequest, StateSnapshot, StateHash, StateQuery, StateAnswer, StateRebase>;

Result<StateFrame> decodeStateFrame(std::string_view text);
std::string encodeStateFrame(const StateFrame& frame);

// A state message is one frame, or a batch: a JSON array of 1 to kMaxStateFramesPerBatch frames,
// taken in order (what one call's frames to one member become: a burst of writes costs one
// message per member, not one per change). One bad frame refuses the whole batch.
inline constexpr std::size_t kMaxStateFramesPerBatch = 4096;
Result<std::vector<StateFrame>> decodeStateMessage(std::string_view text);

// The frames one call of RoomState sends, as messages: consecutive frames to the same member (or
// to everyone, `to` empty) joined into batches of at most `maxBytes`, in order, so each member
// still gets its frames in the order they were made. A lone frame stays itself.
class StateOutbox {
 public:
  struct Message {
    std::string to;  // empty: every other present member
    std::string text;
  };
  explicit StateOutbox(std::size_t maxBytes) : maxBytes_(maxBytes) {}
  void add(std::string to, std::string frame);
  // Everything added since the last take, as messages.
  std::vector<Message> take();

 private:
  struct Run {
    std::string to;
    std::vector<std::string> frames;
    std::size_t bytes = 2;  // the brackets
  };
  std::size_t maxBytes_;
  std::vector<Run> runs_;
};

// Key rules (shared with RoomState::set): 1..kMaxStateKeyBytes bytes of UTF-8, no control characters.
Status checkStateKey(std::string_view key);
// Value rules: one JSON value (app data rules), at most kMaxStateValueBytes.
Status checkStateValue(std::string_view json);

}  // namespace huddle::state
