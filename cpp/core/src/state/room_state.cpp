// The room state protocol (docs/protocol.md "Room state"), the app's and the members' side: writes,
// what the app sees, syncing with the host, snapshots, healing. The host's side (sequencing,
// answering, taking over) is room_state_host.cpp.
#include "huddle/room_state.hpp"

#include <algorithm>
#include <type_traits>

#include "huddle/limits.hpp"
#include "state/document.hpp"
#include "state/room_state_parts.hpp"

namespace huddle {

using state::Applied;
using state::Document;
using state::Position;
using state::tooLarge;

namespace {

std::string_view trimmed(std::string_view text) {
  const char* space = " \t\r\n";
  std::size_t first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(space) - first + 1);
}

}  // namespace

RoomState::RoomState(std::string self, StatePort& port, StateObserver& observer)
    : self_(std::move(self)), port_(port), observer_(observer), doc_(std::make_unique<Document>()) {}

RoomState::~RoomState() = default;

// ---- The app's side ----------------------------------------------------------------------------

Status RoomState::set(std::string_view key, std::string_view valueJson) {
  std::string_view value = trimmed(valueJson);
  if (auto checked = state::checkStateValue(value); !checked) return checked;
  return write(key, std::string(value));
}

Status RoomState::remove(std::string_view key) { return write(key, std::nullopt); }

Status RoomState::write(std::string_view keyView, std::optional<std::string> value) {
  if (auto checked = state::checkStateKey(keyView); !checked) return checked;
  std::string key(keyView);
  if (pending_.size() >= limits::kMaxStatePendingWrites) {
    return Error{ErrorCode::SendQueueFull, "the room state has " + std::to_string(pending_.size()) +
                                               " writes waiting for the host; the limit is " +
                                               std::to_string(limits::kMaxStatePendingWrites)};
  }
  // The caps, for the document with every waiting write on top of it (counted in full: an upper
  // bound, for as long as they wait).
  const state::DocEntry* current = doc_->find(key);
  std::size_t bytes = doc_->bytes() - (current ? Document::entryBytes(key, current->value) : 0);
  bytes += Document::entryBytes(key, value);
  std::set<std::string> newKeys;
  if (!current) newKeys.insert(key);
  for (const auto& p : pending_) {
    if (p.key == key) continue;
    bytes += Document::entryBytes(p.key, p.value);
    if (!doc_->find(p.key)) newKeys.insert(p.key);
  }
  if (bytes > limits::kMaxStateBytes) {
    return tooLarge("the room state would hold " + std::to_string(bytes) + " bytes; the limit is " +
                    std::to_string(limits::kMaxStateBytes));
  }
  if (doc_->keys() + newKeys.size() > limits::kMaxStateKeys) {
    return tooLarge("the room state would hold " + std::to_string(doc_->keys() + newKeys.size()) +
                    " keys (deleted ones count until the host collects them); the limit is " + std::to_string(limits::kMaxStateKeys));
  }

  Visible before = visible(key);
  Pending p;
  p.key = key;
  p.value = std::move(value);
  p.lamport = ++clock_;
  if (numbered_) p.n = std::max(doc_->appliedFor(self_), pending_.empty() ? 0 : pending_.back().n) + 1;
  pending_.push_back(p);
  emitIfChanged(key, before);
  if (role_ == Role::Host) {
    sequence(self_, p.n, p.key, p.value, p.lamport);
  } else if (isSynced()) {
    port_.sendTo(host_, state::encodeStateFrame(state::StateWrite{pos_.epoch, p.n, p.key, p.value, p.lamport}));
  }
  return Ok{};
}

// Own waiting writes count when their stamp beats the sequenced entry: what the app wrote shows at
// once, and a later write by someone else shows as soon as it is sequenced.
RoomState::Visible RoomState::visible(const std::string& key) const {
  const state::DocEntry* entry = doc_->find(key);
  for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
    if (it->key != key) continue;
    if (!entry || state::stampAfter(it->lamport, self_, entry->lamport, entry->peer)) return {it->value, self_};
    break;
  }
  if (entry) return {entry->value, entry->peer};
  return {};
}

void RoomState::emitIfChanged(const std::string& key, const Visible& before) {
  Visible after = visible(key);
  if (after.value != before.value) observer_.onStateChange(StateChangeEvent{key, after.value, after.from});
}

std::optional<std::string> RoomState::get(const std::string& key) const { return visible(key).value; }

std::vector<std::pair<std::string, std::string>> RoomState::entries() const {
  std::set<std::string> keys;
  for (const auto& [key, entry] : doc_->entries()) keys.insert(key);
  for (const auto& p : pending_) keys.insert(p.key);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& key : keys) {
    if (auto v = visible(key).value) out.emplace_back(key, *v);
  }
  return out;
}

bool RoomState::isSynced() const {
  if (role_ == Role::Host) return true;
  return role_ == Role::Member && !host_.empty() && host_ != self_ && hostEpoch_ && *hostEpoch_ == pos_.epoch &&
         numbered_;
}

std::uint64_t RoomState::hash() const { return doc_->hash(); }

void RoomState::corruptForTesting(const std::string& key, std::string valueJson) {
  doc_->corruptForTesting(key, std::move(valueJson));
}

// ---- Inputs ------------------------------------------------------------------------------------

void RoomState::setMembership(const StateMembership& membership) {
  std::set<std::string> others;
  for (const auto& p : membership.present) {
    if (p != self_) others.insert(p);
  }
  bool hostChanged = membership.host != host_;
  others_ = std::move(others);
  // A member gone from the room may come back with writes it made meanwhile: its last report
  // holds collection back a while longer (collectTombstones).
  for (auto& [peer, report] : lowest_) {
    if (others_.count(peer) == 0 && report.goneSinceMs < 0) report.goneSinceMs = now_;
    if (others_.count(peer) != 0) report.goneSinceMs = -1;
  }
  host_ = membership.host;
  if (hostChanged) {
    stepDown();
    hostEpoch_.reset();
    request_.reset();
    incoming_.reset();
    if (host_ == self_) {
      startHandover();
    } else {
      role_ = Role::Member;
      answers_.clear();
      log_.clear();
      needSync(false, false);
    }
    return;
  }
  if (role_ == Role::Collecting) checkHandover();
  if (role_ == Role::Fetching && request_ && others_.count(request_->to) == 0) startHandover();
  if (role_ == Role::Member && !hostEpoch_ && !request_) needSync(false, false);
}

Status RoomState::receive(const std::string& from, std::string_view text) {
  auto decoded = state::decodeStateMessage(text);
  if (!decoded) return decoded.error();
  for (auto& frame : decoded.value()) {
    // Only present members take part; a frame from anyone else (one that left, still in flight)
    // is ignored like any frame that comes too late. (Checked per frame: one may change who.)
    if (others_.count(from) == 0) return Ok{};
    std::visit(
        [&](auto& m) {
          using T = std::decay_t<decltype(m)>;
          if constexpr (std::is_same_v<T, state::StateWrite>) onWrite(from, m);
          if constexpr (std::is_same_v<T, state::StateChange>) onChange(from, m);
          if constexpr (std::is_same_v<T, state::StateRequest>) onRequest(from, m);
          if constexpr (std::is_same_v<T, state::StateSnapshot>) onSnapshot(from, std::move(m));
          if constexpr (std::is_same_v<T, state::StateHash>) onHash(from, m);
          if constexpr (std::is_same_v<T, state::StateQuery>) onQuery(from, m);
          if constexpr (std::is_same_v<T, state::StateAnswer>) onAnswer(from, m);
          if constexpr (std::is_same_v<T, state::StateRebase>) onRebase(from, m);
        },
        frame);
  }
  return Ok{};
}

void RoomState::tick(double nowMs) {
  now_ = nowMs;
  switch (role_) {
    case Role::Member:
      if (request_ && now_ - request_->sentMs >= limits::kStateRetryMs) {
        sendRequest();
      } else if (!request_ && !hostEpoch_) {
        needSync(false, false);
      }
      if (!pending_.empty() && now_ - lastSendMs_ >= limits::kStateRetryMs) sendPending();
      break;
    case Role::Collecting:
      if (now_ - lastQueryMs_ >= limits::kStateRetryMs) {
        for (const auto& peer : others_) {
          if (answers_.count(peer) == 0) port_.sendTo(peer, state::encodeStateFrame(state::StateQuery{handoverQ_}));
        }
        lastQueryMs_ = now_;
      }
      checkHandover();
      break;
    case Role::Fetching:
      if (now_ - handoverStartMs_ >= limits::kStateHandoverTimeoutMs) {
        startHandover();
      } else if (request_ && now_ - request_->sentMs >= limits::kStateRetryMs) {
        sendRequest();
      }
      break;
    case Role::Host:
      if (now_ - lastAnnounceMs_ >= limits::kStateHashIntervalMs) {
        if (!hostCopySound()) return healHostCopy();
        announce();
      }
      // Alone, there is nobody to lose the own writes to: a member that comes back asks this copy.
      if (others_.empty()) unconfirmed_.clear();
      break;
  }
}

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
