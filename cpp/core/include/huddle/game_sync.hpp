// Game sync for host-authoritative games (docs/protocol.md "Game sync"; issue 14 part 3). The host
// runs the simulation at its own tick rate (60 Hz, say): each member sends its input every tick,
// unreliably, repeating its newest inputs the host has not acknowledged, so a lost datagram costs
// nothing; the host gets, each tick, every member's latest input; the host publishes snapshots,
// and each member gets a delta against the newest snapshot it acknowledged (a full one when it has
// none the host still keeps), so bandwidth follows what changed; members get the newest complete
// state and interpolate between the last two. Host away: pause everywhere; back: resume. A new
// host continues from the newest snapshot it holds.
//
// Pure logic, driven by calls (membership facts, tick(nowMs), frames received) and acting through
// a GamePort and a GameObserver; no clock, no I/O. Not thread-safe: one thread drives it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huddle/error.hpp"
#include "huddle/game_frames.hpp"
#include "huddle/game_state.hpp"

namespace huddle {

// How game sync sends: a frame (game_frames.hpp) to one member, unreliably (it may be lost or
// reordered; nothing is retried).
class GamePort {
 public:
  virtual ~GamePort() = default;
  virtual void sendGameFrame(const std::string& to, std::string frame) = 0;
};

// One member's input as the host hands it to the game for a tick.
struct MemberInput {
  std::string member;
  std::uint64_t tick = 0;     // the member's tick of `latest` (0: no input from it yet)
  GameText latest = "null";  // its newest input (null before the first); held until a newer one comes
  // Every input that arrived since the host's previous tick, oldest first (at most
  // limits::kMaxGameInputs; the oldest go first), for games that must not miss a press.
  std::vector<GameText> fresh;
};

class GameObserver {
 public:
  virtual ~GameObserver() = default;
  // Host: the inputs for its tick `tick`, one entry per present member, the host included, in id
  // order. The game simulates the tick and calls GameSync::publish with the result.
  virtual void onInputs(std::uint64_t /*tick*/, const std::vector<MemberInput>& /*inputs*/) {}
  // Member: a newer complete state arrived (snapshot tick `tick`).
  virtual void onState(std::uint64_t /*tick*/, const GameText& /*state*/) {}
  // This member became the host: continue the game from `state` (its newest snapshot, of tick
  // `tick`; null and 0 when it never had one). Ticks go on from `tick`.
  virtual void onHostStart(std::uint64_t /*tick*/, const GameText& /*state*/) {}
  // The host is away (its connection dropped; it may come back): the game stops; then it goes on.
  virtual void onPause() {}
  virtual void onResume() {}
};

class GameSync {
 public:
  GameSync(GamePort& port, GameObserver& observer);

  // Membership facts, from the room. setSelf first; setHost when the host is known or changes.
  void setSelf(const std::string& id);
  void setHost(const std::string& id);
  void hostAway();
  void hostBack();
  void memberJoined(const std::string& id);
  void memberLeft(const std::string& id);

  // The input (JSON text) this member sends from its next tick on (held, sent every tick).
  // DataInvalid when it is not JSON or over limits::kMaxGameInputBytes.
  Status setInput(std::string_view input);
  // Host: the state (JSON text) after its current tick (usually called from onInputs). Kept as a
  // snapshot and sent to every member, as a delta against its acknowledged snapshot or in full.
  // NotHost when this member is not the host, DataInvalid when parseState refuses it.
  Status publish(std::string_view state);

  // One tick of the game loop (the app's 60 Hz timer); nowMs is the caller's clock, used to time
  // interpolation. Member: sends its input. Host: hands out inputs (onInputs). Paused: nothing.
  void tick(double nowMs);
  // A game frame from member `from`. Refused (and dropped) with BadFrame & co. when malformed,
  // ProtocolViolation when it is not for us (a gs not from the host, a gi to a non-host or from a
  // non-member); DataInvalid when a delta does not fit the base it names or its hash differs.
  Status receive(const std::string& from, std::string_view frame);

  bool isHost() const { return !self_.empty() && self_ == host_; }
  bool paused() const { return paused_; }
  // The newest complete state (host: the last published) and its tick; null and 0 before any.
  const GameText& state() const { return newest_.state; }
  std::uint64_t stateTick() const { return newest_.tick; }
  // The state to draw at nowMs: one snapshot interval behind, interpolated between the last two
  // states this member got (by when they arrived), so motion is smooth between snapshots.
  GameText renderState(double nowMs) const;

 private:
  struct Snapshot {
    std::uint64_t tick = 0;
    GameText state = "null";
  };
  struct Member {
    std::optional<std::uint64_t> ack;       // newest snapshot tick it holds from us
    std::uint64_t ackFromInputTick = 0;     // the gi that ack came with (older gi do not move it)
    std::uint64_t inputTick = 0;            // newest input tick received
    GameText latest = "null";
    std::vector<GameText> fresh;
  };

  void becomeHost();
  void sendSnapshot(const std::string& to, Member& member, std::uint64_t hash, std::size_t fullBytes);
  const Snapshot* findHistory(std::uint64_t tick) const;
  void remember(Snapshot snapshot, double arrivedMs);
  void hostTick();
  void memberTick();
  Status receiveInputs(const std::string& from, GameInputFrame frame);
  Status receiveState(const std::string& from, GameStateFrame frame);
  void setPaused(bool paused);

  GamePort& port_;
  GameObserver& observer_;
  std::string self_, host_;
  bool hostAway_ = false;
  bool paused_ = false;
  double nowMs_ = 0;

  // Both sides: the newest kGameHistory snapshots, oldest first (host: published; member: got
  // from the current host, emptied when the host changes), and the newest state.
  std::deque<Snapshot> history_;
  Snapshot newest_;
  Snapshot previous_;  // the one before newest_, and when each arrived, for renderState
  double newestAtMs_ = 0, previousAtMs_ = 0;

  // Member side: the held input, our tick, and our newest inputs the host has not acknowledged.
  GameText input_ = "null";
  std::uint64_t inputTick_ = 0;
  std::deque<std::pair<std::uint64_t, GameText>> unacked_;

  // Host side.
  std::uint64_t tick_ = 0;
  std::map<std::string, Member> members_;  // everyone present but us
};

}  // namespace huddle
