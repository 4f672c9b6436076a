// Usage reports between the nodes that share a Redis (docs/cluster.md, "Limits across nodes"):
// every node adds its reports (usage_report.hpp) to one stream, huddle:usage, and reads the
// others' from it. Off the hot path: a node publishes one report every kUsageReportInterval, and
// nothing a client does waits for Redis. A stream, as for NodeLink: a reader that lost its
// connection for a moment goes on from the last entry it read. Lossy by design: a report that
// cannot be sent while Redis is down is dropped, and each node then holds addresses to its own
// counts alone.
#pragma once

#include <atomic>
#include <chrono>
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

// How often a node publishes what it charged: the lag with which a limit per address holds
// across nodes (an address can exceed a limit by what the other nodes allow in one interval).
inline constexpr std::chrono::milliseconds kUsageReportInterval{200};

class UsageExchange : public std::enable_shared_from_this<UsageExchange> {
 public:
  // `deliver(from, report)` runs on the reader's strand for every other node's report.
  using Deliver = std::function<void(const std::string& from, std::string report)>;
  static std::shared_ptr<UsageExchange> create(net::io_context& ioc, RedisUrl url, std::string nodeId,
                                               Deliver deliver);
  void start();
  void stop();
  // Adds `report` to the stream; dropped silently while Redis is down.
  void publish(std::string report);

  bool up() const { return reader_->status().up && writer_->status().up; }
  std::uint64_t sent() const { return sent_; }
  std::uint64_t received() const { return received_; }

 private:
  UsageExchange(net::io_context& ioc, RedisUrl url, std::string nodeId, Deliver deliver);
  void read();

  const std::string nodeId_;
  const Deliver deliver_;
  std::shared_ptr<RedisClient> reader_;  // its own connection: XREAD blocks it
  std::shared_ptr<RedisClient> writer_;

  std::mutex mutex_;
  std::string lastId_;  // the last entry read; "" until the first connection says where the end is
  bool reading_ = false;
  bool stopped_ = false;
  std::atomic<std::uint64_t> sent_{0};
  std::atomic<std::uint64_t> received_{0};
};

}  // namespace huddle::server
