// The replicated room state: a key -> JSON value document every member holds a copy of
// (docs/protocol.md "Room state"). Writes apply locally at once and travel to the host, which
// sequences them: each accepted change gets the host's (epoch, seq) and goes to everyone. Two writes
// to one key resolve last-writer-wins by Lamport clock, then peer id, so every copy ends the same
// whatever order changes arrived in. A member that joins or comes back gets a snapshot plus the tail
// from the host before later changes; the host announces (seq, hash) every kStateHashIntervalMs and
// a member whose copy differs fetches a snapshot (healed). A new host continues from the most
// advanced copy any present member holds; writes not yet sequenced are sent again and taken once.
//
// Pure logic: no I/O, no clock. It acts through StatePort (frames to peers), reports through
// StateObserver, and is driven by setMembership, receive and tick. Not thread-safe; one owner calls.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "huddle/error.hpp"
#include "huddle/state_frames.hpp"

namespace huddle {

namespace state {
class Document;
}

// How RoomState sends its frames (encoded state frames, JSON text). Delivery may fail or reorder:
// the protocol repairs that with requests, announcements and retries.
class StatePort {
 public:
  virtual ~StatePort() = default;
  virtual void sendTo(const std::string& peer, std::string frame) = 0;
  // To every other present member.
  virtual void broadcast(std::string frame) = 0;
};

// What the document looks like to the app changed: `key` now holds `value` (none: deleted), as
// written by `from`. Reported once per visible change, own writes included.
struct StateChangeEvent {
  std::string key;
  std::optional<std::string> value;  // JSON text
  std::string from;
};

class StateObserver {
 public:
  virtual ~StateObserver() = default;
  virtual void onStateChange(const StateChangeEvent& event) = 0;
  // This copy had diverged from the host's and was replaced by a snapshot (its changes reported).
  virtual void onStateHealed() {}
  // An own write the host refused when it sequenced it (state_too_large: concurrent writes filled
  // the document first); the key shows what the document holds.
  virtual void onStateWriteRefused(const std::string& key, const Error& error) { (void)key, (void)error; }
};

// Membership facts, from the room: who this member is, who is host ("" while unknown, e.g. while
// the signaling connection is down) and who is present (self may be listed or not).
struct StateMembership {
  std::string host;
  std::vector<std::string> present;
};

class RoomState {
 public:
  RoomState(std::string self, StatePort& port, StateObserver& observer);
  ~RoomState();
  RoomState(const RoomState&) = delete;
  RoomState& operator=(const RoomState&) = delete;

  // The app's writes. data_invalid for a bad key (checkStateKey) or value (checkStateValue),
  // state_too_large past the document caps, send_queue_full past kMaxStatePendingWrites.
  Status set(std::string_view key, std::string_view valueJson);
  Status remove(std::string_view key);

  // The document as the app sees it: sequenced changes with own pending writes on top.
  std::optional<std::string> get(const std::string& key) const;
  std::vector<std::pair<std::string, std::string>> entries() const;

  void setMembership(const StateMembership& membership);
  // A state message from `from` (the transport vouches for the sender): a frame, or a batch of
  // frames taken in order (decodeStateMessage). Bad ones are refused with the decoder's error and
  // change nothing.
  Status receive(const std::string& from, std::string_view frame);
  // Time, in ms on any monotonic clock: drives announcements, retries and handover timeouts.
  void tick(double nowMs);

  // Introspection, for tests and diagnostics.
  const state::Position& position() const { return pos_; }
  bool isHost() const { return role_ == Role::Host; }
  bool isSynced() const;
  std::size_t pendingWrites() const { return pending_.size(); }
  std::uint64_t lamport() const { return clock_; }
  bool everSynced() const { return everSynced_; }
  std::uint64_t hash() const;
  void corruptForTesting(const std::string& key, std::string valueJson);

 private:
  enum class Role { Member, Collecting, Fetching, Host };
  struct Pending {
    std::uint64_t n = 0;  // 0 until numbered (after the first sync)
    std::string key;
    std::optional<std::string> value;
    std::uint64_t lamport = 0;
    std::uint64_t seqAtHost = 0;  // host only: where it sequenced its own write
  };
  struct Visible {
    std::optional<std::string> value;
    std::string from;
  };
  struct Request {
    std::uint64_t q = 0;
    std::string to;
    state::Position from;
    bool full = false;
    bool heal = false;
    double sentMs = 0;
  };
  struct Incoming;

  Status write(std::string_view key, std::optional<std::string> value);
  Visible visible(const std::string& key) const;
  void emitIfChanged(const std::string& key, const Visible& before);

  // Member side.
  void onChange(const std::string& from, const state::StateChange& m);
  void onHash(const std::string& from, const state::StateHash& m);
  void onRebase(const std::string& from, const state::StateRebase& m);
  void onSnapshot(const std::string& from, state::StateSnapshot m);
  void onQuery(const std::string& from, const state::StateQuery& m);
  void learnEpoch(const state::Epoch& epoch);
  void needSync(bool full, bool heal);
  void sendRequest();
  void install();
  void applySequenced(const state::StateChange& change);
  void synced();
  void renumber();
  void sendPending();
  bool ownHashOk() const;
  std::uint64_t lowestStamp() const;
  void firstSync();

  // Host side.
  void onWrite(const std::string& from, const state::StateWrite& m);
  void onRequest(const std::string& from, const state::StateRequest& m);
  void onAnswer(const std::string& from, const state::StateAnswer& m);
  bool hostCopySound() const;
  void healHostCopy();
  void startHandover(bool heal = false);
  void stepDown();
  void checkHandover();
  void beginEpoch();
  void sequence(const std::string& writer, std::uint64_t n, const std::string& key,
                const std::optional<std::string>& value, std::uint64_t lamport);
  void sendSnapshot(const std::string& to, std::uint64_t q);
  void announce();
  void collectTombstones();

  std::string self_;
  StatePort& port_;
  StateObserver& observer_;
  double now_ = 0;

  std::string host_;
  std::set<std::string> others_;  // present members other than self

  std::unique_ptr<state::Document> doc_;
  state::Position pos_;
  std::optional<std::uint64_t> hostHash_;  // the host's hash at pos_, as it said
  std::uint64_t clock_ = 0;

  std::deque<Pending> pending_;
  // Host only: own writes it sequenced that no member has said it holds yet (at most
  // kMaxStateTail, oldest forgotten first). Should the host lose its role, they wait again with
  // pending_, and go out again unless the history continued with them.
  std::deque<Pending> unconfirmed_;
  bool numbered_ = false;
  bool everSynced_ = false;  // this copy has been in step with a host (firstSync)
  double lastSendMs_ = 0;

  std::optional<state::Epoch> hostEpoch_;  // the current host's epoch, as last heard from it
  std::optional<Request> request_;
  std::unique_ptr<Incoming> incoming_;
  std::uint64_t nextQ_ = 1;

  Role role_ = Role::Member;
  // Handover (Collecting, Fetching).
  std::uint64_t handoverQ_ = 0;
  double handoverStartMs_ = 0;
  double lastQueryMs_ = 0;
  std::map<std::string, state::StateAnswer> answers_;
  // Host: each member's lowest stamp (StateAnswer::lowest), as it last said, and since when it is
  // gone from the room (negative: present).
  struct LowestReport {
    std::uint64_t stamp = 0;
    double goneSinceMs = -1;
  };
  std::map<std::string, LowestReport> lowest_;
  std::uint64_t highestEpoch_ = 0;
  bool healing_ = false;  // this handover replaces the host's own unsound copy
  // Host.
  std::deque<state::StateChange> log_;
  state::Position base_;
  std::uint64_t baseHash_ = 0;
  double lastAnnounceMs_ = 0;
};

}  // namespace huddle
