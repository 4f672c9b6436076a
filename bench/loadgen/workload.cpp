#include "workload.hpp"

#include <algorithm>
#include <chrono>

#include <boost/asio/post.hpp>

#include "protocol.hpp"

namespace loadgen {
namespace {

// A connection whose unsent frames exceed this gets no more paced sends (they are counted as
// skipped): the server is not reading, and an open-loop generator must not grow without bound.
constexpr std::size_t kMaxBacklogBytes = 1 << 20;
// How long the paced sender may catch up at once after a stall of the io thread; beyond that the
// due sends are skipped (and counted) rather than sent as one burst.
constexpr double kMaxCatchUpSeconds = 0.05;
// After shutdown(), connections that have not finished the close handshake are dropped.
constexpr auto kCloseGrace = std::chrono::seconds(2);

std::int64_t steadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::chrono::steady_clock::time_point atNs(std::int64_t ns) {
  return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

}  // namespace

Worker::Worker(const Options& options, std::vector<tcp::endpoint> servers, std::vector<RoomPlan> rooms,
               double rateShare, std::uint32_t seed)
    : options_(options),
      servers_(std::move(servers)),
      rateShare_(rateShare),
      work_(io_.get_executor()),
      tick_(io_),
      closeDeadline_(io_) {
  for (const auto& server : servers_) hostHeaders_.push_back(options.host + ":" + std::to_string(server.port()));
  if (servers_.size() > 1) {
    watch_ = std::make_unique<RoomWatch>(io_, tcp::endpoint(servers_[0].address(), static_cast<unsigned short>(options.redisPort)),
                                         [this](const std::string& why) { fail(why); });
  }
  for (const RoomPlan& plan : rooms) {
    Room room{plan, static_cast<std::uint32_t>(clients_.size()), {}, false};
    for (int slot = 0; slot < plan.members; ++slot) {
      const auto index = static_cast<std::uint32_t>(clients_.size());
      clients_.push_back(std::make_unique<Client>(io_, *this, index, seed));
      Member m;
      m.room = static_cast<std::uint32_t>(rooms_.size());
      m.slot = slot;
      m.server = static_cast<std::uint32_t>(slot) % static_cast<std::uint32_t>(servers_.size());
      m.remote = m.server != 0;
      members_.push_back(std::move(m));
    }
    rooms_.push_back(std::move(room));
  }
}

Worker::~Worker() { join(); }

void Worker::start() {
  net::post(io_, [this] {
    if (watch_) watch_->start();
    const auto first = std::min<std::size_t>(clients_.size(), static_cast<std::size_t>(options_.connectConcurrency));
    for (std::size_t i = 0; i < first; ++i) openNext();
  });
  thread_ = std::thread([this] { io_.run(); });
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

std::string Worker::failure() const {
  std::lock_guard lock(failureMutex_);
  return failure_;
}

void Worker::fail(const std::string& why) {
  {
    std::lock_guard lock(failureMutex_);
    if (!failure_.empty()) return;
    failure_ = why;
  }
  failed_ = true;
}

// ---- setup: connect, greet, form rooms ----

void Worker::openNext() {
  if (nextToOpen_ >= clients_.size() || stopping_) return;
  const std::size_t i = nextToOpen_++;
  const std::uint32_t server = members_[i].server;
  clients_[i]->connect(servers_[server], hostHeaders_[server], options_.path);
}

void Worker::onOpen(Client& client) {
  const std::uint32_t i = client.index();
  openNext();  // keep connectConcurrency handshakes going
  if (options_.protocol == Protocol::Huddle) {
    members_[i].state = Member::State::Greeting;
    client.sendText(helloFrame());
  } else {
    members_[i].state = Member::State::Joining;
    client.sendText(wsJoinFrame("r" + std::to_string(rooms_[members_[i].room].plan.number)));
  }
}

void Worker::onSetupMessage(std::uint32_t i, std::string_view message) {
  Member& m = members_[i];
  Room& room = rooms_[m.room];
  const SetupReply reply = parseSetupReply(options_.protocol, message);
  switch (reply.kind) {
    case SetupReply::Kind::Error:
      return fail("client " + std::to_string(i) + " (room " + std::to_string(room.plan.number) + ", slot " +
                  std::to_string(m.slot) + "): error " + reply.code + ": " + reply.text);
    case SetupReply::Kind::Welcome:
      m.id = reply.id;
      if (m.slot == 0) {
        m.state = Member::State::Joining;
        clients_[i]->sendText(createFrame("m0", options_.roomSize));
      } else if (mayJoin(m, room)) {
        sendJoin(i);
      } else {
        m.state = Member::State::AwaitingCode;
      }
      return;
    case SetupReply::Kind::RoomJoined:
      if (m.state != Member::State::Joining) return;
      if (m.slot == 0) {
        room.code = reply.code;
        for (int s = 1; s < room.plan.members; ++s) {
          const Member& other = members_[room.first + s];
          if (other.state == Member::State::AwaitingCode && mayJoin(other, room)) sendJoin(room.first + s);
        }
        if (servers_.size() > 1) openCross(m.room);
      }
      return markReady(i);
    case SetupReply::Kind::Joined:
      m.id = reply.id;
      return markReady(i);
    case SetupReply::Kind::Other:
      return;  // peer_joined and the like
  }
}

void Worker::sendJoin(std::uint32_t i) {
  Member& m = members_[i];
  m.state = Member::State::Joining;
  // Names must be unique within a room (name_taken otherwise).
  clients_[i]->sendText(joinFrame(rooms_[m.room].code, "m" + std::to_string(m.slot)));
}

// Lets the room's members on other servers join once the room is in Redis (room_watch.hpp).
void Worker::openCross(std::uint32_t r) {
  watch_->whenStored(rooms_[r].code, [this, r] {
    Room& room = rooms_[r];
    room.crossOpen = true;
    if (stopping_) return;
    for (int s = 1; s < room.plan.members; ++s) {
      const std::uint32_t i = room.first + static_cast<std::uint32_t>(s);
      if (members_[i].state == Member::State::AwaitingCode) sendJoin(i);
    }
  });
}

void Worker::markReady(std::uint32_t i) {
  if (members_[i].state == Member::State::Ready) return;
  members_[i].state = Member::State::Ready;
  ready_.fetch_add(1);
}

// ---- traffic ----

void Worker::startTraffic(const Schedule& when) {
  net::post(io_, [this, when] {
    schedule_ = when;
    buildTemplates();
    traffic_ = true;
    nextTickNs_ = schedule_.start;
    tick_.expires_at(atNs(nextTickNs_));
    tick_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) onTick();
    });
  });
}

void Worker::buildTemplates() {
  for (const Room& room : rooms_) {
    for (int s = 0; s < room.plan.members; ++s) {
      const std::uint32_t i = room.first + static_cast<std::uint32_t>(s);
      Member& m = members_[i];
      const MaskKey& mask = clients_[i]->mask();
      auto add = [&](std::string_view to) {
        const RelayText t = relayText(options_.protocol, options_.mode, to, i, options_.payloadBytes);
        m.templates.emplace_back(t.text, t.tsPos, t.seqPos, mask);
      };
      if (options_.mode == Mode::Broadcast) {
        add("");
        m.fanout = room.plan.members - 1;
      } else {
        // Round robin over the others, starting with the next slot, so every pair carries traffic.
        for (int k = 1; k < room.plan.members; ++k) add(members_[room.first + (s + k) % room.plan.members].id);
        m.fanout = 1;
      }
    }
  }
}

void Worker::onTick() {
  if (stopping_) return;
  const std::int64_t now = steadyNs();
  if (now >= schedule_.start && now < schedule_.end) {
    if (rateShare_ > 0) {
      sendPaced(now);
    } else if (!windowFilled_) {
      windowFilled_ = true;  // from here deliveries and refusals refill the windows
      for (std::uint32_t i = 0; i < members_.size(); ++i) refill(i, now);
    }
    flushDirty();
  }
  inflightSeen_ = inflightTotal_;
  const auto tickNs = static_cast<std::int64_t>(options_.tickMs * 1e6);
  nextTickNs_ = std::max(nextTickNs_ + tickNs, now + tickNs / 4);  // no burst of missed ticks
  tick_.expires_at(atNs(nextTickNs_));
  tick_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) onTick();
  });
}

void Worker::sendPaced(std::int64_t now) {
  // How many sends are due from the start to now; each tick makes up the difference, spread
  // round robin over the clients, so the rate holds whatever the timer's jitter.
  const auto due = static_cast<std::uint64_t>(static_cast<double>(now - schedule_.start) * rateShare_ / 1e9);
  if (due <= issued_) return;
  std::uint64_t n = due - issued_;
  const auto maxBurst = static_cast<std::uint64_t>(std::max(1.0, rateShare_ * kMaxCatchUpSeconds));
  if (n > maxBurst) {
    counters_.skipped += n - maxBurst;
    n = maxBurst;
  }
  issued_ = due;
  for (std::uint64_t k = 0; k < n; ++k) {
    const auto i = static_cast<std::uint32_t>(cursor_);
    cursor_ = (cursor_ + 1) % members_.size();
    if (!sendOne(i, now)) ++counters_.skipped;
  }
}

bool Worker::sendOne(std::uint32_t i, std::int64_t now) {
  Member& m = members_[i];
  Client& c = *clients_[i];
  if (m.state != Member::State::Ready || c.outBuffer().size() > kMaxBacklogBytes) return false;
  m.templates[m.nextTemplate].appendTo(c.outBuffer(), static_cast<std::uint64_t>(now), m.seq++);
  if (++m.nextTemplate == m.templates.size()) m.nextTemplate = 0;
  m.inflight += m.fanout;
  inflightTotal_ += m.fanout;
  ++counters_.sent;
  counters_.expected += static_cast<std::uint64_t>(m.fanout);
  if (inWindow(now)) ++counters_.sentWindow;
  if (!m.dirty) {
    m.dirty = true;
    dirty_.push_back(i);
  }
  return true;
}

void Worker::refill(std::uint32_t i, std::int64_t now) {
  Member& m = members_[i];
  const std::int64_t limit = static_cast<std::int64_t>(options_.window) * m.fanout;
  while (m.inflight + m.fanout <= limit && sendOne(i, now)) {
  }
}

void Worker::flushDirty() {
  for (std::uint32_t i : dirty_) {
    members_[i].dirty = false;
    clients_[i]->flush();
  }
  dirty_.clear();
}

void Worker::onMessage(Client& client, std::string_view message, std::int64_t now) {
  if (!traffic_) return onSetupMessage(client.index(), message);
  std::uint64_t sentNs = 0;
  std::uint32_t sender = 0;
  const bool refilling = windowFilled_ && now < schedule_.end;
  if (findStamp(message, sentNs, sender)) {
    ++counters_.delivered;
    if (inWindow(now)) ++counters_.deliveredWindow;
    const auto sent = static_cast<std::int64_t>(sentNs);
    if (sender >= members_.size()) return;  // cannot happen: rooms do not span workers
    if (inWindow(sent)) {
      const auto latency = static_cast<std::uint64_t>(std::max<std::int64_t>(0, now - sent));
      counters_.latency.record(latency);
      if (servers_.size() > 1) {
        counters_.latencyByHops[int{members_[sender].remote} + int{members_[client.index()].remote}].record(latency);
      }
    }
    --members_[sender].inflight;
    --inflightTotal_;
    if (refilling) refill(sender, now);
    return;
  }
  const std::string_view code = errorCode(message);
  if (code.empty()) {
    ++counters_.otherFrames;  // e.g. a late peer_joined
    return;
  }
  // The only frames we send during traffic are relay messages, so each error refuses one.
  Member& m = members_[client.index()];
  counters_.errors.add(code);
  ++counters_.refused;
  counters_.refusedDeliveries += static_cast<std::uint64_t>(m.fanout);
  const std::int64_t freed = std::min<std::int64_t>(m.inflight, m.fanout);
  m.inflight -= freed;
  inflightTotal_ -= freed;
  if (refilling) refill(client.index(), now);
}

void Worker::afterRead(std::int64_t) {
  // Flush once every completion of this round of the reactor has run (a posted handler queues
  // behind them), so a connection's write carries everything those deliveries refilled.
  if (dirty_.empty() || flushPosted_) return;
  flushPosted_ = true;
  net::post(io_, [this] {
    flushPosted_ = false;
    flushDirty();
  });
}

// ---- the end ----

void Worker::onClosed(Client& client, std::string_view why, bool expected) {
  Member& m = members_[client.index()];
  if (m.state == Member::State::Closed) return;
  const bool wasReady = m.state == Member::State::Ready;
  m.state = Member::State::Closed;
  ++closed_;
  if (!expected) {
    if (!wasReady) {
      fail("client " + std::to_string(client.index()) + ": " + std::string(why));
      openNext();  // keep the handshake pipeline going so the main thread sees the failure promptly
    } else {
      ++counters_.closedByServer;
    }
  }
  if (stopping_ && closed_ == clients_.size()) closeDeadline_.cancel();
}

void Worker::shutdown() {
  net::post(io_, [this] {
    stopping_ = true;
    tick_.cancel();
    if (watch_) watch_->stop();
    // Connections never opened count as closed; the rest send a close frame.
    for (std::size_t i = nextToOpen_; i < clients_.size(); ++i) {
      members_[i].state = Member::State::Closed;
      ++closed_;
    }
    for (std::size_t i = 0; i < nextToOpen_; ++i) {
      if (members_[i].state != Member::State::Closed) clients_[i]->close();
    }
    closeDeadline_.expires_after(kCloseGrace);
    closeDeadline_.async_wait([this](const boost::system::error_code&) {
      for (std::size_t i = 0; i < nextToOpen_; ++i) {
        if (members_[i].state != Member::State::Closed) clients_[i]->forceClose();
      }
    });
    if (closed_ == clients_.size()) closeDeadline_.cancel();
    work_.reset();  // io_.run() returns once every connection and timer is done
  });
}

}  // namespace loadgen
