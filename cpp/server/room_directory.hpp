// The room directory in Redis (huddle-server --redis; docs/cluster.md): each room's record
// (room_records.hpp) under "huddle:room:<key>", written when the Hub says the room changed and read
// back when a server starts, so a restart keeps every room, its members' places and its host.
//
// Writes are behind the Hub, never in its way: changed() only queues (under the Hub's lock) and
// posts one flush. While Redis is unreachable the node goes on serving its rooms from memory;
// when Redis is back, the node writes every live room again and deletes the records of rooms
// that closed meanwhile (reconcile). Until a node has read the directory once (Redis was down
// when it started) it writes nothing, so it never deletes rooms it has not seen: it reads them
// first, on its first connection.
//
// Every room has an owner, the node that holds it (huddle:owner:<key>), and every node a lease
// (huddle:node:<id>) it renews while it runs. A node writes and deletes only rooms it owns, and
// reads back the rooms it owned and those whose owner's lease has lapsed (room_scripts.hpp), so
// nodes sharing a Redis keep to their own rooms, and a node that replaces a dead one takes its
// rooms over (docs/cluster.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huddle/histogram.hpp"
#include "huddle/room_record.hpp"
#include "server/net.hpp"
#include "server/redis_client.hpp"
#include "server/redis_url.hpp"

namespace huddle::server {

class RoomDirectory : public std::enable_shared_from_this<RoomDirectory> {
 public:
  struct Hooks {
    // Hands records read from Redis to the Hub (Hub::restoreRooms); returns how many came back.
    std::function<std::size_t(std::vector<RoomRecord>)> restore;
    // Every live room's record, taken under the Hub's lock after clearPending(): everything queued
    // before is older than it.
    std::function<std::vector<RoomRecord>()> snapshot;
    std::function<void(std::string_view)> log;
  };
  struct Options {
    std::string nodeId;  // this node's name in the directory: its rooms' owner
    // How long a node's lease lasts without renewal (renewed every quarter of it): how long after
    // a node died its rooms can be taken over.
    double leaseMs = 5000;
    std::string prefix = "huddle:room:";
    std::string ownerPrefix = "huddle:owner:";
    std::string nodePrefix = "huddle:node:";
    // How long a record outlives its room's last activity: the room's idle timeout plus the
    // members' grace (0 idle timeout: records have no expiry, rooms close when emptied).
    double roomIdleMs = 0;
    double graceMs = 0;
  };

  static std::shared_ptr<RoomDirectory> create(net::io_context& ioc, RedisUrl url, Options options, Hooks hooks);

  // Before the server listens: reads every record over a blocking connection and restores them.
  // False (logged) when Redis cannot be reached in `timeout`: the first connection reads them.
  bool loadNow(std::chrono::milliseconds timeout);
  void start();
  void stop();

  // Where a join for room `key` (not held here) should go: `done(owner, record)` with the node
  // that holds it, or this node's id when this node now does (record: what to restore, if the
  // room was stored) or nobody does (a join that may not create it: no claim is made).
  // `done(nullopt, ...)` when Redis cannot say. Runs on the Redis client.
  void locate(const std::string& key, bool mayCreate,
              std::function<void(std::optional<std::string> owner, std::optional<std::string> record)> done);
  // Which of `nodes` have no lease any more (`done` runs on the Redis client; nothing when Redis
  // cannot say).
  void deadNodes(std::vector<std::string> nodes, std::function<void(std::vector<std::string>)> done);
  const std::string& nodeId() const { return options_.nodeId; }

  // Rooms the Hub says changed; called under the Hub's lock, so in the Hub's order.
  void changed(std::vector<RoomChange> changes);
  // Drops what changed() queued (Hooks::snapshot, under the Hub's lock).
  void clearPending();

  struct Status {
    bool up = false;
    std::string reason;  // why not up
    bool loaded = false;  // the directory has been read since this node started
    std::uint64_t written = 0;     // records written or deleted
    std::uint64_t failed = 0;      // writes Redis refused or lost
    std::uint64_t restored = 0;    // rooms given back to the Hub
    std::uint64_t reconciles = 0;  // whole rewrites after Redis came back
    std::uint64_t reconnects = 0;
    double roundTripMs = 0;
    Histogram roundTripSeconds{};  // RedisClient::Status's
    std::string nodeId;
  };
  Status status() const;
  std::string redactedUrl() const;

 private:
  RoomDirectory(net::io_context& ioc, RedisUrl url, Options options, Hooks hooks);
  void flush();
  void write(const std::string& key, const std::optional<RoomRecord>& record);
  // Renews this node's lease now and every quarter of it.
  void renewLease();
  std::vector<std::string> claimCommand(const std::string& recordKey) const;
  std::vector<std::string> leaseCommand() const;
  // After a (re)connection: read the directory if never read, then write every live room and
  // delete the rest.
  void reconcile();
  // SCAN for every record key, from `cursor`, into `keys`; then `done`.
  void scan(std::string cursor, std::shared_ptr<std::vector<std::string>> keys, std::function<void()> done);
  // Claims every key it may (room_scripts.hpp, kClaim) and restores the records it got.
  void loadKeys(std::shared_ptr<std::vector<std::string>> keys, std::function<void()> done);
  void rewrite(const std::vector<std::string>& stored);
  // A reconcile step failed: the next connection starts it again.
  void abandon(std::string_view what, const RedisResult& r);
  std::size_t restoreTexts(const std::vector<std::optional<std::string>>& texts);

  net::io_context& ioc_;
  // flush(), rewrite() and the lease run here, one at a time: writes reach the Redis client in
  // the order they were decided.
  net::strand<net::io_context::executor_type> strand_;
  const RedisUrl url_;
  const Options options_;
  const Hooks hooks_;
  std::shared_ptr<RedisClient> client_;
  net::steady_timer leaseTimer_;

  mutable std::mutex mutex_;  // guards everything below
  std::map<std::string, std::optional<RoomRecord>> pending_;
  bool flushPosted_ = false;
  bool loaded_ = false;
  bool reconciling_ = false;
  bool stopped_ = false;
  Status counts_;
};

}  // namespace huddle::server
