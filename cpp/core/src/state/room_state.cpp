// The room state protocol (docs/protocol.md "Room state"), the app's side and the inputs: writes,
// what the app sees, membership, frames and time. A member keeping in step with the host is
// room_state_member.cpp; the host's side (sequencing, answering, taking over) room_state_host.cpp.
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

}  // namespace huddle
