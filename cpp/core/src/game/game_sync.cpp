#include "huddle/game_sync.hpp"

#include <utility>

#include "huddle/limits.hpp"

namespace huddle {
namespace {

Error violation(std::string message) { return Error{ErrorCode::ProtocolViolation, std::move(message)}; }

}  // namespace

GameSync::GameSync(GamePort& port, GameObserver& observer) : port_(port), observer_(observer) {}

void GameSync::setSelf(const std::string& id) {
  self_ = id;
  members_.erase(id);
  if (isHost()) becomeHost();
}

void GameSync::setHost(const std::string& id) {
  if (id == host_) return;
  bool wasHost = isHost();
  host_ = id;
  // Snapshot ticks are the host's: another host's tick N is another state, so a member only ever
  // acknowledges (and takes deltas against) what the current host sent it. Its newest state stays.
  history_.clear();
  // A new host is present by definition: whatever pause the old one caused is over.
  hostAway_ = false;
  setPaused(false);
  if (isHost()) {
    becomeHost();
  } else if (wasHost) {
    tick_ = 0;
  }
}

void GameSync::becomeHost() {
  // Continue from the newest snapshot we hold: it is the base of the next deltas, and the game's
  // next tick follows it. Members acknowledged nothing of ours yet, so they get it in full.
  tick_ = newest_.tick;
  history_.clear();
  if (newest_.tick > 0) history_.push_back(newest_);
  for (auto& [id, member] : members_) member = Member{};
  observer_.onHostStart(newest_.tick, newest_.state);
}

void GameSync::hostAway() {
  hostAway_ = true;
  setPaused(true);
}

void GameSync::hostBack() {
  hostAway_ = false;
  setPaused(false);
}

void GameSync::setPaused(bool paused) {
  if (paused == paused_) return;
  paused_ = paused;
  if (paused) {
    observer_.onPause();
  } else {
    observer_.onResume();
  }
}

void GameSync::memberJoined(const std::string& id) {
  if (id == self_) return;
  // A member that joins (or comes back after leaving) holds nothing of ours: a fresh record, and
  // at once the newest snapshot in full, so it does not wait for the next publish to show the game.
  Member& member = members_[id];
  member = Member{};
  if (isHost() && !paused_ && newest_.tick > 0) sendSnapshot(id, member, stateHash(newest_.state), newest_.state.size());
}

void GameSync::memberLeft(const std::string& id) { members_.erase(id); }

Status GameSync::setInput(std::string_view input) {
  auto canonical = canonicalGameValue(input, limits::kMaxGameInputBytes, "game input");
  if (!canonical) return canonical.error();
  input_ = std::move(canonical).value();
  return Ok{};
}

Status GameSync::publish(std::string_view text) {
  if (!isHost()) return Error{ErrorCode::NotHost, "only the host publishes game state"};
  auto state = parseState(text);
  if (!state) return state.error();
  // A snapshot takes the host's current tick; ticks strictly increase, so a second publish within
  // one tick takes the next number. The loop's own count is left alone: a page whose game answers
  // a tick later (an experience across the bridge) would otherwise push it on by every late
  // publish, and the ticks would run faster than the clock.
  remember(Snapshot{std::max(tick_, newest_.tick + 1), std::move(state).value()}, nowMs_);
  // While paused the snapshot is only kept: members get a delta against their ack on resume.
  if (paused_) return Ok{};
  std::uint64_t hash = stateHash(newest_.state);
  std::size_t fullBytes = newest_.state.size();
  for (auto& [id, member] : members_) sendSnapshot(id, member, hash, fullBytes);
  return Ok{};
}

const GameSync::Snapshot* GameSync::findHistory(std::uint64_t tick) const {
  for (const auto& snapshot : history_) {
    if (snapshot.tick == tick) return &snapshot;
  }
  return nullptr;
}

void GameSync::sendSnapshot(const std::string& to, Member& member, std::uint64_t hash, std::size_t fullBytes) {
  GameStateFrame frame;
  frame.tick = newest_.tick;
  frame.hash = hash;
  if (member.inputTick > 0) frame.inputAck = member.inputTick;
  // A delta only against a snapshot the member said it holds and we still keep; otherwise, or
  // when the delta would be larger than the state itself, the full state.
  const Snapshot* base = member.ack ? findHistory(*member.ack) : nullptr;
  if (base && base->tick < newest_.tick) {
    GameText delta = diff(base->state, newest_.state);
    if (delta.size() < fullBytes) {
      frame.base = base->tick;
      frame.body = std::move(delta);
    }
  }
  if (!frame.base) frame.body = newest_.state;
  port_.sendGameFrame(to, encode(frame));
}

void GameSync::remember(Snapshot snapshot, double arrivedMs) {
  history_.push_back(snapshot);
  while (history_.size() > limits::kGameHistory) history_.pop_front();
  previous_ = std::move(newest_);
  previousAtMs_ = newestAtMs_;
  newest_ = std::move(snapshot);
  newestAtMs_ = arrivedMs;
}

void GameSync::tick(double nowMs) {
  nowMs_ = nowMs;
  if (paused_ || self_.empty() || host_.empty()) return;
  if (isHost()) {
    hostTick();
  } else {
    memberTick();
  }
}

void GameSync::memberTick() {
  ++inputTick_;
  unacked_.emplace_back(inputTick_, input_);
  while (unacked_.size() > limits::kGameInputRepeat) unacked_.pop_front();
  GameInputFrame frame;
  frame.tick = inputTick_;
  for (const auto& [tick, input] : unacked_) frame.inputs.push_back(input);
  if (!history_.empty()) frame.ack = history_.back().tick;
  port_.sendGameFrame(host_, encode(frame));
}

void GameSync::hostTick() {
  ++tick_;
  ++inputTick_;
  std::vector<MemberInput> inputs;
  inputs.reserve(members_.size() + 1);
  MemberInput own{self_, inputTick_, input_, {input_}};
  bool ownPlaced = false;
  for (auto& [id, member] : members_) {
    if (!ownPlaced && self_ < id) {
      inputs.push_back(own);
      ownPlaced = true;
    }
    inputs.push_back(MemberInput{id, member.inputTick, member.latest, std::move(member.fresh)});
    member.fresh.clear();
  }
  if (!ownPlaced) inputs.push_back(std::move(own));
  observer_.onInputs(tick_, inputs);
}

Status GameSync::receive(const std::string& from, std::string_view text) {
  auto decoded = decodeGameFrame(text);
  if (!decoded) return decoded.error();
  if (auto* inputs = std::get_if<GameInputFrame>(&decoded.value())) return receiveInputs(from, std::move(*inputs));
  return receiveState(from, std::get<GameStateFrame>(std::move(decoded).value()));
}

Status GameSync::receiveInputs(const std::string& from, GameInputFrame frame) {
  if (!isHost()) return violation("gi from " + from + ": this member is not the host");
  auto found = members_.find(from);
  if (found == members_.end()) return violation("gi from " + from + ", who is not a member");
  Member& member = found->second;
  // The ack rides on inputs, which may arrive out of order: only a newer gi moves it (back to
  // none, too, when the member dropped what it held).
  if (frame.tick >= member.ackFromInputTick) {
    member.ack = frame.ack;
    member.ackFromInputTick = frame.tick;
  }
  std::uint64_t first = frame.tick - frame.inputs.size() + 1;
  for (std::size_t k = 0; k < frame.inputs.size(); ++k) {
    std::uint64_t tick = first + k;
    if (tick <= member.inputTick) continue;  // a repeat of one we have
    if (member.fresh.size() == limits::kMaxGameInputs) member.fresh.erase(member.fresh.begin());
    member.fresh.push_back(frame.inputs[k]);
    member.latest = std::move(frame.inputs[k]);
    member.inputTick = tick;
  }
  return Ok{};
}

Status GameSync::receiveState(const std::string& from, GameStateFrame frame) {
  if (isHost() || from != host_) return violation("gs from " + from + ", who is not the host");
  if (frame.inputAck) {
    while (!unacked_.empty() && unacked_.front().first <= *frame.inputAck) unacked_.pop_front();
  }
  // Unreliable: an older snapshot than the newest we hold from this host is late, not news.
  if (!history_.empty() && frame.tick <= history_.back().tick) return Ok{};
  GameText state;
  if (!frame.base) {
    state = std::move(frame.body);
  } else {
    const Snapshot* base = findHistory(*frame.base);
    if (!base) {
      return Error{ErrorCode::DataInvalid, "gs: a delta against snapshot " + std::to_string(*frame.base) +
                                               ", which this member does not hold"};
    }
    auto applied = applyDelta(base->state, frame.body);
    if (!applied) return applied.error();
    state = std::move(applied).value();
  }
  if (stateHash(state) != frame.hash) {
    // Never diverge silently: drop what we hold from this host, so our next ack asks for it in full.
    history_.clear();
    return Error{ErrorCode::DataInvalid, "gs: snapshot " + std::to_string(frame.tick) + " does not match its hash"};
  }
  remember(Snapshot{frame.tick, state}, nowMs_);
  observer_.onState(newest_.tick, newest_.state);
  return Ok{};
}

GameText GameSync::renderState(double nowMs) const {
  double interval = newestAtMs_ - previousAtMs_;
  if (previous_.tick == 0 || interval <= 0) return newest_.state;
  return interpolate(previous_.state, newest_.state, (nowMs - newestAtMs_) / interval);
}

}  // namespace huddle
