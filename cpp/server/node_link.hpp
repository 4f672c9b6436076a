// Frames between the nodes that share a Redis (docs/cluster.md, "Members on other nodes"). Each
// node reads its inbox, the Redis stream huddle:inbox:<node>, and adds to the others'. A stream,
// not pub/sub: a reader that lost its connection for a moment goes on from the last entry it
// read, so nothing is lost in a blip. One writing connection per node keeps each sender's frames
// in order.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "server/net.hpp"
#include "server/redis_client.hpp"
#include "server/redis_url.hpp"

namespace huddle::server {

struct NodeMessage {
  enum class Kind {
    Attach,  // gateway -> owner: a connection joins a room held there (data: its identity, JSON)
    In,      // gateway -> owner: a frame from that connection (data: the frame)
    Close,   // gateway -> owner: the connection is gone (data: the leave reason's name)
    Out,     // owner -> gateway: a frame for that connection (data: the frame)
    Drop,    // either way: the other side does not know that connection (any more): end it
    // owner -> gateway: the connection is in no room here and asks to join one this node does not
    // hold: it is the gateway's again (identity: its identity, data: that join, to handle there).
    Release,
    // owner -> gateway: a frame of a released connection that was on its way before the gateway
    // heard of the release (data: the frame, to handle there, in order).
    Back,
  };
  Kind kind = Kind::In;
  std::string from;        // the sending node
  std::uint64_t conn = 0;  // the connection, as its gateway numbers it
  std::string data;
  std::string address;  // Attach: who the connection comes from (for the limits per address)
  std::string identity;  // Release: the connection's identity, as Attach's data
};

class NodeLink : public std::enable_shared_from_this<NodeLink> {
 public:
  using Deliver = std::function<void(NodeMessage)>;
  static std::shared_ptr<NodeLink> create(net::io_context& ioc, RedisUrl url, std::string nodeId, Deliver deliver,
                                          std::function<void(std::string_view)> log);
  void start();
  void stop();
  // Adds `m` to node `to`'s inbox (m.from is set here). Fails silently while Redis is down: the
  // connections it concerns end (their nodes see the other one gone) and come back.
  void send(const std::string& to, NodeMessage m);

  // Whether both of its connections to Redis are up: frames can go and come.
  bool up() const { return reader_->status().up && writer_->status().up; }
  std::uint64_t sent() const { return sent_; }
  std::uint64_t received() const { return received_; }
  // Frames Redis did not take (its connection down, or the reply an error): lost between nodes.
  // Clients resend what matters (exactly-once is theirs); this says how often they have to.
  std::uint64_t dropped() const { return dropped_; }

 private:
  NodeLink(net::io_context& ioc, RedisUrl url, std::string nodeId, Deliver deliver,
           std::function<void(std::string_view)> log);
  void read();

  const std::string nodeId_;
  const std::string inbox_;
  const Deliver deliver_;
  const std::function<void(std::string_view)> log_;
  std::shared_ptr<RedisClient> reader_;  // its own connection: XREAD blocks it
  std::shared_ptr<RedisClient> writer_;

  mutable std::mutex mutex_;
  std::string lastId_;  // the last entry read; "" until the first connection says where the end is
  bool reading_ = false;
  bool stopped_ = false;
  // Counted apart from mutex_: send() runs for every piped frame.
  std::atomic<std::uint64_t> sent_{0};
  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace huddle::server
