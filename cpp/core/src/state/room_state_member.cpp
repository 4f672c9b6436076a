// The room state protocol (docs/protocol.md "Room state"), a member keeping in step with the host:
// applying its changes, checking its hash announcements, asking for a tail or a snapshot and
// installing it (healed), sending own writes in order, answering a new host's query, and the
// stamps that collecting deletes relies on. The app's side is room_state.cpp; the host's side
// room_state_host.cpp.
#include <algorithm>
#include <map>

#include "huddle/limits.hpp"
#include "huddle/room_state.hpp"
#include "state/document.hpp"
#include "state/room_state_parts.hpp"

namespace huddle {

using state::Applied;
using state::tooLarge;

// ---- Member side -------------------------------------------------------------------------------

void RoomState::onChange(const std::string& from, const state::StateChange& m) {
  if (role_ != Role::Member || from != host_) return;
  learnEpoch(m.epoch);
  if (m.epoch != pos_.epoch || m.seq > pos_.seq + 1) return needSync(false, false);
  if (m.seq <= pos_.seq) return;  // had it (a tail that crossed a change)
  applySequenced(m);
  pos_.seq = m.seq;
  hostHash_ = m.hash;
  if (doc_->hash() != m.hash) needSync(true, true);
}

// The host's epoch as its frames say. A request sent before it was known (to a host still taking
// over, which ignores requests) is sent again now rather than at the next retry.
void RoomState::learnEpoch(const state::Epoch& epoch) {
  bool learned = !hostEpoch_ || *hostEpoch_ != epoch;
  hostEpoch_ = epoch;
  if (learned && request_ && !request_->full) request_.reset();
}

// A sequenced change into this copy, with the app's events; an own write leaves the waiting list.
void RoomState::applySequenced(const state::StateChange& m) {
  if (m.collect != 0) {
    // Tombstones go; nothing the app sees changes.
    doc_->collect(m.collect);
    clock_ = std::max(clock_, m.collect);
    return;
  }
  std::map<std::string, Visible> before;
  before[m.key] = visible(m.key);
  if (m.writer == self_) {
    for (const auto& p : pending_) {
      if (p.n != 0 && p.n <= m.n) before.emplace(p.key, visible(p.key));
    }
  }
  clock_ = std::max(clock_, m.lamport);
  Applied result = doc_->apply(m.writer, m.n, m.key, m.value, m.lamport);
  if (m.writer == self_) {
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                  [&](const Pending& p) { return p.n != 0 && p.n <= m.n; }),
                   pending_.end());
  }
  for (const auto& [key, was] : before) emitIfChanged(key, was);
  if (result == Applied::TooLarge && m.writer == self_) {
    observer_.onStateWriteRefused(m.key, tooLarge("the host refused the write: the room state would pass " +
                                                   std::to_string(limits::kMaxStateBytes) + " bytes or " +
                                                   std::to_string(limits::kMaxStateKeys) + " keys"));
  }
}

void RoomState::onHash(const std::string& from, const state::StateHash& m) {
  if (role_ != Role::Member || from != host_) return;
  learnEpoch(m.position.epoch);
  if (m.position.epoch != pos_.epoch || m.position.seq > pos_.seq) return needSync(false, false);
  if (m.position.seq < pos_.seq) return;  // crossed a change
  hostHash_ = m.hash;
  std::uint64_t mine = doc_->recomputeHash();
  port_.sendTo(host_, state::encodeStateFrame(state::StateAnswer{0, pos_, mine, mine == m.hash, lowestStamp()}));
  if (mine != m.hash) return needSync(true, true);
  if (request_ && !request_->full) {
    request_.reset();
    synced();
  } else if (!numbered_) {
    synced();
  }
}

void RoomState::onRebase(const std::string& from, const state::StateRebase& m) {
  if (role_ != Role::Member || from != host_ || !request_ || m.q != request_->q) return;
  if (pos_.epoch != m.previous || pos_.seq != m.seq || doc_->hash() != m.hash) {
    request_.reset();
    return needSync(true, false);
  }
  pos_.epoch = m.epoch;
  hostEpoch_ = m.epoch;
  hostHash_ = m.hash;
}

void RoomState::onSnapshot(const std::string& from, state::StateSnapshot m) {
  if (!request_ || from != request_->to || m.q != request_->q) return;
  if (role_ == Role::Member ? from != host_ : role_ != Role::Fetching) return;
  if (!incoming_ || incoming_->q != m.q || incoming_->position != m.position || incoming_->hash != m.hash ||
      incoming_->parts != m.parts) {
    incoming_ = std::make_unique<Incoming>();
    incoming_->q = m.q;
    incoming_->position = m.position;
    incoming_->hash = m.hash;
    incoming_->parts = m.parts;
    incoming_->got.assign(m.parts, false);
  }
  Incoming& in = *incoming_;
  if (in.got[m.part]) return;
  in.got[m.part] = true;
  ++in.count;
  for (auto& e : m.entries) {
    in.highestLamport = std::max(in.highestLamport, e.lamport);
    in.doc.insert(e.key, state::DocEntry{std::move(e.value), e.lamport, std::move(e.peer)});
  }
  for (const auto& [writer, n] : m.applied) in.doc.setApplied(writer, n);
  in.doc.setFloor(m.floor);
  in.highestLamport = std::max(in.highestLamport, m.floor);
  // A copy may pass the byte cap by its writers' records only (Document::apply); anything bigger
  // is not a copy this protocol makes.
  if (in.doc.keys() > limits::kMaxStateKeys || in.doc.bytes() > 2 * limits::kMaxStateBytes) {
    incoming_.reset();
    return;
  }
  if (in.count == in.parts) install();
}

void RoomState::install() {
  std::unique_ptr<Incoming> in = std::move(incoming_);
  // A snapshot that does not hash to what its sender said is not installed; the request is sent
  // again.
  if (in->doc.recomputeHash() != in->hash) return;
  if (role_ == Role::Member && in->position.epoch == pos_.epoch && in->position.seq < pos_.seq) {
    // Older than what this copy applied since asking: installing it would step back (flicker).
    bool heal = request_->heal;
    request_.reset();
    if (heal) needSync(true, true);
    return;
  }
  std::map<std::string, Visible> before;
  for (const auto& [key, entry] : doc_->entries()) before.emplace(key, visible(key));
  for (const auto& p : pending_) before.emplace(p.key, visible(p.key));
  for (const auto& [key, entry] : in->doc.entries()) before.emplace(key, visible(key));

  *doc_ = std::move(in->doc);
  pos_ = in->position;
  hostHash_ = in->hash;
  clock_ = std::max(clock_, in->highestLamport);
  firstSync();
  bool heal = request_->heal;
  request_.reset();
  if (role_ == Role::Member) hostEpoch_ = pos_.epoch;
  renumber();
  for (const auto& [key, was] : before) emitIfChanged(key, was);
  if (heal) observer_.onStateHealed();
  if (role_ == Role::Fetching) return beginEpoch();
  sendPending();
}

// In step with the host: own writes get their numbers and go out.
void RoomState::synced() {
  firstSync();
  renumber();
  sendPending();
}

// Own writes already sequenced in the history this copy now holds leave the waiting list; the
// others are numbered right after the writer's count in it, so the host takes them in order. In
// one epoch this changes nothing; after a snapshot from another history it makes writes that the
// old history held, but this one does not, go out again (and be taken once).
void RoomState::renumber() {
  std::uint64_t applied = doc_->appliedFor(self_);
  pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                [&](const Pending& p) { return p.n != 0 && p.n <= applied; }),
                 pending_.end());
  std::uint64_t n = applied;
  for (auto& p : pending_) {
    p.n = ++n;
    p.seqAtHost = 0;
  }
  numbered_ = true;
}

void RoomState::sendPending() {
  if (role_ != Role::Member || !isSynced()) return;
  for (const auto& p : pending_) {
    port_.sendTo(host_, state::encodeStateFrame(state::StateWrite{pos_.epoch, p.n, p.key, p.value, p.lamport}));
  }
  lastSendMs_ = now_;
}

void RoomState::needSync(bool full, bool heal) {
  if (role_ != Role::Member || host_.empty() || host_ == self_ || others_.count(host_) == 0) return;
  if (request_ && (request_->full || !full)) {
    request_->heal = request_->heal || heal;
    return;
  }
  request_ = Request{nextQ_++, host_, pos_, full, heal, now_};
  incoming_.reset();
  sendRequest();
}

void RoomState::sendRequest() {
  request_->from = pos_;
  request_->sentMs = now_;
  port_.sendTo(request_->to, state::encodeStateFrame(state::StateRequest{request_->q, request_->from, request_->full}));
}

void RoomState::onQuery(const std::string& from, const state::StateQuery& m) {
  if (from != host_ || role_ != Role::Member) return;
  port_.sendTo(from, state::encodeStateFrame(state::StateAnswer{m.q, pos_, doc_->recomputeHash(), ownHashOk(), lowestStamp()}));
}

// Whether this copy still hashes to what the host said it should at its position: false for a copy
// that changed behind the protocol's back, which then never gets to continue the history.
bool RoomState::ownHashOk() const {
  std::uint64_t content = doc_->recomputeHash();
  if (content != doc_->hash()) return false;
  if (pos_.epoch.number == 0 && pos_.seq == 0) return true;
  return !hostHash_ || content == *hostHash_;
}

// The lowest Lamport stamp this copy may still write with: its oldest waiting write's, or one above
// its clock. Deletes stamped below every member's may be collected: no write can lose to them.
std::uint64_t RoomState::lowestStamp() const {
  std::uint64_t lowest = clock_ + 1;
  for (const auto& p : pending_) lowest = std::min(lowest, p.lamport);
  for (const auto& p : unconfirmed_) lowest = std::min(lowest, p.lamport);
  return lowest;
}

// A copy's first time in step (its first snapshot, or the first host's first epoch): the writes
// it made before it had the document count as made now, after everything in it. Stamped before,
// they would be older than whatever the room wrote meanwhile, and at or below the document's
// floor they would lose to deletes collected before this copy came (a newcomer's first write).
void RoomState::firstSync() {
  if (everSynced_) return;
  everSynced_ = true;
  for (auto& p : pending_) p.lamport = ++clock_;
}

}  // namespace huddle
