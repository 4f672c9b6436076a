// One io thread of the generator and the rooms it owns: it connects their members, forms the rooms,
// then sends relay messages (paced or with a window in flight) and counts what arrives.
//
// A room never spans two workers, so a delivery always finds its sender on the same thread: the
// window bookkeeping (a delivery frees its sender's slot) needs no atomics and no locks.
// The main thread drives a worker only through start(), startTraffic(), shutdown() and join(),
// and watches it through the atomic progress getters.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>

#include "client.hpp"
#include "options.hpp"
#include "room_watch.hpp"
#include "stats.hpp"

namespace loadgen {

// A room this worker forms: its global number (the ws relay's room name is "r<number>") and size.
struct RoomPlan {
  std::uint32_t number = 0;
  int members = 0;
};

// When traffic runs, on the steady clock (ns since its epoch).
struct Schedule {
  std::int64_t start = 0;         // first send
  std::int64_t measureStart = 0;  // end of warm-up
  std::int64_t end = 0;           // last send; deliveries are still counted after it (drain)
};

class Worker final : public ClientEvents {
 public:
  // `servers`: one per --port, in order. `rateShare`: this worker's part of --rate (msg/s); 0 with --rate 0.
  Worker(const Options& options, std::vector<tcp::endpoint> servers, std::vector<RoomPlan> rooms, double rateShare,
         std::uint32_t seed);
  ~Worker() override;

  void start();                            // runs the io thread and starts connecting
  void startTraffic(const Schedule& when); // thread-safe
  void shutdown();                         // thread-safe: close every connection; the thread then ends
  void join();

  std::size_t clientCount() const { return clients_.size(); }
  int readyCount() const { return ready_.load(); }           // clients in their room
  std::int64_t inflight() const { return inflightSeen_.load(); }  // deliveries still owed, as of the last tick
  bool failed() const { return failed_.load(); }
  std::string failure() const;
  const Counters& counters() const { return counters_; }     // after join()

 private:
  // A client's part in the workload (index-aligned with clients_).
  struct Member {
    enum class State { Opening, Greeting, AwaitingCode, Joining, Ready, Closed };
    State state = State::Opening;
    std::uint32_t room = 0;  // index into rooms_
    int slot = 0;            // place in the room; slot 0 creates it (huddle)
    std::uint32_t server = 0;  // index into servers_: slot % their count
    bool remote = false;       // on another server than the room's (its frames cross between nodes)
    std::string id;          // peer id as a JSON token
    std::vector<FrameTemplate> templates;  // directed: one per other member; broadcast: one
    std::size_t nextTemplate = 0;
    std::int64_t inflight = 0;  // deliveries this member's messages still owe
    std::uint64_t seq = 0;
    int fanout = 1;             // deliveries per message
    bool dirty = false;         // has unflushed frames
  };
  struct Room {
    RoomPlan plan;
    std::uint32_t first = 0;  // index of its slot 0
    std::string code;         // huddle: known once slot 0 got room_joined
    bool crossOpen = false;   // members on other servers may join: the room is in Redis
  };

  void onOpen(Client& client) override;
  void onMessage(Client& client, std::string_view message, std::int64_t nowNs) override;
  void afterRead(std::int64_t nowNs) override;
  void onClosed(Client& client, std::string_view why, bool expected) override;

  void openNext();
  void onSetupMessage(std::uint32_t i, std::string_view message);
  void sendJoin(std::uint32_t i);
  bool mayJoin(const Member& m, const Room& room) const { return !room.code.empty() && (!m.remote || room.crossOpen); }
  void openCross(std::uint32_t room);
  void markReady(std::uint32_t i);
  void fail(const std::string& why);
  void buildTemplates();
  void onTick();
  void sendPaced(std::int64_t nowNs);
  bool sendOne(std::uint32_t i, std::int64_t nowNs);
  void refill(std::uint32_t i, std::int64_t nowNs);
  void flushDirty();
  bool inWindow(std::int64_t t) const { return t >= schedule_.measureStart && t < schedule_.end; }

  const Options& options_;
  const std::vector<tcp::endpoint> servers_;
  std::vector<std::string> hostHeaders_;  // one per server; Client::connect keeps a pointer
  std::unique_ptr<RoomWatch> watch_;       // with several servers
  const double rateShare_;
  net::io_context io_{1};  // one thread runs it: lets Asio skip some locking
  net::executor_work_guard<net::io_context::executor_type> work_;
  net::steady_timer tick_;
  net::steady_timer closeDeadline_;
  std::thread thread_;
  std::vector<Room> rooms_;
  std::vector<std::unique_ptr<Client>> clients_;
  std::vector<Member> members_;
  std::vector<std::uint32_t> dirty_;
  std::size_t nextToOpen_ = 0;
  std::size_t closed_ = 0;
  bool traffic_ = false;
  bool windowFilled_ = false;
  bool stopping_ = false;
  bool flushPosted_ = false;
  Schedule schedule_;
  std::int64_t nextTickNs_ = 0;
  std::uint64_t issued_ = 0;      // paced: sends due so far (made or skipped)
  std::size_t cursor_ = 0;        // paced: next member to send
  std::int64_t inflightTotal_ = 0;
  Counters counters_;
  std::atomic<int> ready_{0};
  std::atomic<std::int64_t> inflightSeen_{0};
  std::atomic<bool> failed_{false};
  mutable std::mutex failureMutex_;
  std::string failure_;
};

}  // namespace loadgen
