// The room state protocol (docs/protocol.md "Room state"), the host's side: sequencing writes,
// answering requests with a tail, a rebase or a snapshot, announcing, and taking over from the most
// advanced sound copy when this member becomes host.
#include <algorithm>

#include "huddle/limits.hpp"
#include "huddle/room_state.hpp"
#include "state/document.hpp"
#include "state/room_state_parts.hpp"

namespace huddle {

using state::Applied;
using state::Position;
using state::tooLarge;

// ---- Host side ---------------------------------------------------------------------------------

void RoomState::onWrite(const std::string& from, const state::StateWrite& m) {
  if (role_ != Role::Host || m.epoch != pos_.epoch) return;
  // Each write once, in the writer's order: a repeat or one past a gap is dropped (it comes again).
  if (m.n != doc_->appliedFor(from) + 1) return;
  sequence(from, m.n, m.key, m.value, m.lamport);
}

void RoomState::sequence(const std::string& writer, std::uint64_t n, const std::string& key,
                         const std::optional<std::string>& value, std::uint64_t lamport) {
  Visible before = visible(key);
  clock_ = std::max(clock_, lamport);
  Applied result = doc_->apply(writer, n, key, value, lamport);
  ++pos_.seq;
  hostHash_ = doc_->hash();
  state::StateChange change{pos_.epoch, pos_.seq, writer, n, key, value, lamport, *hostHash_};
  log_.push_back(change);
  if (log_.size() > limits::kMaxStateTail) log_.pop_front();
  if (writer == self_) {
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      if (it->n != n) continue;
      if (result != Applied::TooLarge) {
        unconfirmed_.push_back(*it);
        unconfirmed_.back().seqAtHost = pos_.seq;
        if (unconfirmed_.size() > limits::kMaxStateTail) unconfirmed_.pop_front();
      }
      pending_.erase(it);
      break;
    }
  }
  emitIfChanged(key, before);
  if (result == Applied::TooLarge && writer == self_) {
    observer_.onStateWriteRefused(key, tooLarge("the room state would pass " + std::to_string(limits::kMaxStateBytes) +
                                                " bytes or " + std::to_string(limits::kMaxStateKeys) + " keys"));
  }
  port_.broadcast(state::encodeStateFrame(change));
}

void RoomState::onRequest(const std::string& from, const state::StateRequest& m) {
  // A member catching up (a reloaded page, same id, starts its clock again) says its lowest stamp
  // anew before any delete is collected on its account.
  lowest_.erase(from);
  if (role_ == Role::Member) {
    // A host taking over fetches the copy it chose to continue from.
    if (from == host_ && m.full) sendSnapshot(from, m.q);
    return;
  }
  if (role_ != Role::Host) return;
  std::uint64_t logStart = log_.empty() ? pos_.seq + 1 : log_.front().seq;
  auto tail = [&](std::uint64_t after) {
    for (const auto& c : log_) {
      if (c.seq > after) port_.sendTo(from, state::encodeStateFrame(c));
    }
    port_.sendTo(from, state::encodeStateFrame(state::StateHash{pos_, doc_->hash()}));
  };
  // A tail longer than the document has keys is a replay of values long overwritten: a snapshot
  // is smaller, and shows the member each key once (a newcomer at the start of the epoch would
  // otherwise see every write ever made to a key, one after another).
  auto shorter = [&](std::uint64_t after) { return pos_.seq - after <= doc_->keys(); };
  if (!m.full && m.from.epoch == pos_.epoch && m.from.seq <= pos_.seq && m.from.seq + 1 >= logStart &&
      shorter(m.from.seq)) {
    return tail(m.from.seq);
  }
  if (!m.full && m.from == base_ && base_.seq + 1 >= logStart && shorter(base_.seq)) {
    port_.sendTo(from, state::encodeStateFrame(state::StateRebase{m.q, pos_.epoch, base_.epoch, base_.seq, baseHash_}));
    return tail(base_.seq);
  }
  sendSnapshot(from, m.q);
}

void RoomState::sendSnapshot(const std::string& to, std::uint64_t q) {
  std::vector<state::StateSnapshot> parts(1);
  std::size_t used = 0;
  auto room = [&](std::size_t bytes) {
    if (used + bytes > limits::kStateSnapshotPartBytes && used > 0) {
      parts.emplace_back();
      used = 0;
    }
    used += bytes;
  };
  for (const auto& [key, entry] : doc_->entries()) {
    state::StateEntry e{key, entry.value, entry.lamport, entry.peer};
    room(state::stateEntryBytes(e));
    parts.back().entries.push_back(std::move(e));
  }
  for (const auto& [writer, n] : doc_->applied()) {
    room(writer.size() + 32);
    parts.back().applied.emplace_back(writer, n);
  }
  std::uint64_t hash = doc_->recomputeHash();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto& part = parts[i];
    part.q = q;
    part.position = pos_;
    part.hash = hash;
    part.part = static_cast<std::uint32_t>(i);
    part.parts = static_cast<std::uint32_t>(parts.size());
    part.floor = doc_->floor();
    port_.sendTo(to, state::encodeStateFrame(part));
  }
}

void RoomState::onAnswer(const std::string& from, const state::StateAnswer& m) {
  if (m.lowest != 0) lowest_[from] = LowestReport{m.lowest, -1};  // (in stream order: the last is the latest)
  if (role_ == Role::Host && m.q == 0) {
    // Progress: a member holds the host's own writes up to there; they can no longer be lost.
    if (m.position.epoch != pos_.epoch || !m.ok) return;
    while (!unconfirmed_.empty() && unconfirmed_.front().seqAtHost <= m.position.seq) unconfirmed_.pop_front();
    return;
  }
  if (role_ != Role::Collecting || m.q != handoverQ_) return;
  answers_[from] = m;
  checkHandover();
}

// Leaving the host role: own writes no member confirmed wait with the others again, first.
void RoomState::stepDown() {
  if (role_ != Role::Host) return;
  role_ = Role::Member;
  pending_.insert(pending_.begin(), unconfirmed_.begin(), unconfirmed_.end());
  unconfirmed_.clear();
}

// The host's copy is checked as a member's is, every kStateHashIntervalMs: its content must still
// hash to its running hash, which every change it sequenced carried to the members. A copy that
// changed behind the protocol's back (a memory error, a bug) must not go on as the room's.
bool RoomState::hostCopySound() const { return doc_->recomputeHash() == doc_->hash(); }

// A handover to itself: the history continues from the most advanced sound copy a member holds
// (a new epoch, so members in step rebase), and the app hears it was healed. With no sound copy
// anywhere (alone, or every copy bad), this content is all there is: beginEpoch rehashes it.
void RoomState::healHostCopy() {
  stepDown();
  startHandover(/*heal=*/true);
}

void RoomState::startHandover(bool heal) {
  healing_ = heal;
  role_ = Role::Collecting;
  handoverQ_ = nextQ_++;
  answers_.clear();
  request_.reset();
  incoming_.reset();
  log_.clear();
  handoverStartMs_ = now_;
  lastQueryMs_ = now_;
  port_.broadcast(state::encodeStateFrame(state::StateQuery{handoverQ_}));
  checkHandover();
}

// Once every present member answered (or the time is up): continue from the most advanced copy
// that hashes right (a later epoch first, then a higher seq; this copy on a tie, so no transfer).
void RoomState::checkHandover() {
  if (role_ != Role::Collecting) return;
  bool all = std::all_of(others_.begin(), others_.end(), [&](const std::string& p) { return answers_.count(p) != 0; });
  if (!all && now_ - handoverStartMs_ < limits::kStateHandoverTimeoutMs) return;
  highestEpoch_ = pos_.epoch.number;
  bool haveBest = ownHashOk();
  Position best = pos_;
  std::string bestPeer = self_;
  for (const auto& [peer, answer] : answers_) {
    if (others_.count(peer) == 0) continue;
    highestEpoch_ = std::max(highestEpoch_, answer.position.epoch.number);
    if (!answer.ok) continue;
    const Position& p = answer.position;
    bool ahead = p.epoch.number != best.epoch.number ? p.epoch.number > best.epoch.number : p.seq > best.seq;
    if (!haveBest || ahead) {
      best = p;
      bestPeer = peer;
      haveBest = true;
    }
  }
  if (bestPeer == self_) return beginEpoch();
  role_ = Role::Fetching;
  handoverStartMs_ = now_;
  request_ = Request{nextQ_++, bestPeer, pos_, true, healing_, now_};
  incoming_.reset();
  sendRequest();
}

void RoomState::beginEpoch() {
  firstSync();
  doc_->rehash();
  base_ = pos_;
  baseHash_ = doc_->hash();
  pos_.epoch = state::Epoch{highestEpoch_ + 1, self_};
  hostHash_ = doc_->hash();
  hostEpoch_ = pos_.epoch;
  log_.clear();
  answers_.clear();
  request_.reset();
  incoming_.reset();
  role_ = Role::Host;
  renumber();
  // Own writes not in the history taken over are sequenced first.
  std::vector<Pending> waiting(pending_.begin(), pending_.end());
  for (const auto& p : waiting) sequence(self_, p.n, p.key, p.value, p.lamport);
  announce();
}

void RoomState::announce() {
  collectTombstones();
  port_.broadcast(state::encodeStateFrame(state::StateHash{pos_, doc_->hash()}));
  lastAnnounceMs_ = now_;
}

// Deletes keep a tombstone so an older write sequenced later cannot bring the key back. Once every
// member said the lowest stamp it may still write with, deletes stamped below all of those can lose
// to no write any more: they are collected, as a change every copy applies in order. A present
// member that has not said yet holds it back; so does, for kStateGoneReportMs, one that went.
void RoomState::collectTombstones() {
  std::uint64_t below = lowestStamp();
  for (const auto& peer : others_) {
    if (lowest_.count(peer) == 0) return;
  }
  for (auto it = lowest_.begin(); it != lowest_.end();) {
    const LowestReport& r = it->second;
    if (r.goneSinceMs >= 0 && now_ - r.goneSinceMs > limits::kStateGoneReportMs) {
      it = lowest_.erase(it);  // gone for good, as far as the room state is concerned
      continue;
    }
    below = std::min(below, r.stamp);
    ++it;
  }
  std::uint64_t floor = below - 1;
  if (floor <= doc_->floor() || doc_->tombstonesAtOrBelow(floor) == 0) return;
  doc_->collect(floor);
  ++pos_.seq;
  hostHash_ = doc_->hash();
  state::StateChange change;
  change.epoch = pos_.epoch;
  change.seq = pos_.seq;
  change.hash = *hostHash_;
  change.collect = floor;
  log_.push_back(change);
  if (log_.size() > limits::kMaxStateTail) log_.pop_front();
  port_.broadcast(state::encodeStateFrame(change));
}

}  // namespace huddle
