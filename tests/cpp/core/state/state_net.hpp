// A fake network of N members, each with a RoomState: frames wait in one queue until the test
// delivers, drops or reorders them; membership (present, away, host = first present in join order)
// and time are the test's. Used by the room state tests and the chaos test.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "huddle/room_state.hpp"
#include "huddle/state_frames.hpp"

namespace huddle::state {
inline void PrintTo(const Position& p, std::ostream* os) {
  *os << "(" << p.epoch.number << "/" << p.epoch.host << ", " << p.seq << ")";
}
}  // namespace huddle::state

namespace huddle::test {

struct StateRecorder : StateObserver {
  std::vector<StateChangeEvent> changes;
  int healed = 0;
  std::vector<std::pair<std::string, Error>> refused;
  void onStateChange(const StateChangeEvent& e) override { changes.push_back(e); }
  void onStateHealed() override { ++healed; }
  void onStateWriteRefused(const std::string& key, const Error& e) override { refused.emplace_back(key, e); }
};

class StateNet {
 public:
  struct Frame {
    std::string from;
    std::string to;
    std::string text;
    bool broadcast = false;
  };

  explicit StateNet(std::vector<std::string> ids) : ids_(std::move(ids)) {
    for (const auto& id : ids_) {
      auto m = std::make_unique<Member>(*this, id);
      members_.push_back(std::move(m));
    }
    away_.assign(ids_.size(), false);
    updateMembership();
  }

  std::size_t size() const { return members_.size(); }
  RoomState& state(std::size_t i) { return *members_[i]->state; }
  StateRecorder& observer(std::size_t i) { return members_[i]->observer; }
  const std::string& id(std::size_t i) const { return ids_[i]; }
  bool away(std::size_t i) const { return away_[i]; }
  double now() const { return now_; }
  std::vector<Frame>& queue() { return queue_; }
  // Every frame sent while recordSent is on, for tests that count them.
  bool recordSent = false;
  const std::vector<Frame>& sent() const { return sent_; }
  // Frames that pass this test when sent are dropped instead (a link that is down, a lossy path).
  std::function<bool(const Frame&)> dropWhen;

  // Away: the member's connection is down. It sees no host; the others see it gone; what was in
  // flight to or from it is lost.
  void setAway(std::size_t i, bool away) {
    away_[i] = away;
    if (away) {
      std::vector<Frame> kept;
      for (auto& f : queue_) {
        if (f.from != ids_[i] && f.to != ids_[i]) kept.push_back(std::move(f));
      }
      queue_ = std::move(kept);
    }
    updateMembership();
  }

  std::string host() const {
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      if (!away_[i]) return ids_[i];
    }
    return "";
  }

  void deliver(std::size_t index) {
    Frame f = std::move(queue_[index]);
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(index));
    receive(f);
  }

  // Delivers the frame at `index`; the last one in flight takes its place (the order of what
  // is in flight does not matter to a caller that picks at random, and this is O(1)).
  void deliverUnordered(std::size_t index) {
    Frame f = std::move(queue_[index]);
    if (index + 1 != queue_.size()) queue_[index] = std::move(queue_.back());
    queue_.pop_back();
    receive(f);
  }

  void receive(const Frame& f) {
    std::size_t to = indexOf(f.to);
    if (away_[to] || away_[indexOf(f.from)]) return;
    Status received = members_[to]->state->receive(f.from, f.text);
    ASSERT_TRUE(received.ok()) << received.error().message << " in " << f.text;
  }

  // Delivers in order until nothing is in flight (frames sent meanwhile included).
  void deliverAll() {
    for (int guard = 0; guard < 100000 && !queue_.empty(); ++guard) {
      std::vector<Frame> batch;
      batch.swap(queue_);
      for (const auto& f : batch) receive(f);
    }
  }

  void tick(double ms) {
    now_ += ms;
    for (auto& m : members_) m->state->tick(now_);
  }

  // Time passes in steps of 50 ms, everything delivered in between.
  void settle(double ms = 10000) {
    deliverAll();
    for (double t = 0; t < ms; t += 50) {
      tick(50);
      deliverAll();
    }
  }

 private:
  struct Member : StatePort {
    Member(StateNet& owner, const std::string& memberId)
        : net(owner), id(memberId), state(std::make_unique<RoomState>(memberId, *this, observer)) {}
    void sendTo(const std::string& peer, std::string frame) override { net.send(Frame{id, peer, std::move(frame), false}); }
    void broadcast(std::string frame) override {
      for (std::size_t i = 0; i < net.ids_.size(); ++i) {
        if (net.ids_[i] != id && !net.away_[i]) net.send(Frame{id, net.ids_[i], frame, true});
      }
    }
    StateNet& net;
    std::string id;
    StateRecorder observer;
    std::unique_ptr<RoomState> state;
  };

  std::size_t indexOf(const std::string& id) const {
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      if (ids_[i] == id) return i;
    }
    ADD_FAILURE() << "no member " << id;
    return 0;
  }

  void send(Frame f) {
    if (away_[indexOf(f.from)] || away_[indexOf(f.to)]) return;
    if (recordSent) sent_.push_back(f);
    if (dropWhen && dropWhen(f)) return;
    queue_.push_back(std::move(f));
  }

  void updateMembership() {
    std::vector<std::string> present;
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      if (!away_[i]) present.push_back(ids_[i]);
    }
    std::string h = host();
    // The others learn first, so the host's first frames find it a member to them (the server
    // tells everyone at about the same time; the protocol retries when the order differs).
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      if (ids_[i] == h) continue;
      if (away_[i]) {
        members_[i]->state->setMembership(StateMembership{"", {ids_[i]}});
      } else {
        members_[i]->state->setMembership(StateMembership{h, present});
      }
    }
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      if (ids_[i] == h) members_[i]->state->setMembership(StateMembership{h, present});
    }
  }

  std::vector<std::string> ids_;
  std::vector<std::unique_ptr<Member>> members_;
  std::vector<bool> away_;
  std::vector<Frame> queue_;
  std::vector<Frame> sent_;
  double now_ = 0;
};

// Every present member holds the same document (entries and hash) at the same position.
inline void expectPresentAgree(StateNet& net) {
  std::size_t first = 0;
  while (first < net.size() && net.away(first)) ++first;
  for (std::size_t i = first + 1; i < net.size(); ++i) {
    if (net.away(i)) continue;
    SCOPED_TRACE("member " + net.id(i));
    EXPECT_EQ(net.state(i).entries(), net.state(first).entries());
    EXPECT_EQ(net.state(i).hash(), net.state(first).hash());
    EXPECT_EQ(net.state(i).position(), net.state(first).position());
  }
}

}  // namespace huddle::test
