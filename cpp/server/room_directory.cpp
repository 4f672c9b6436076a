#include "server/room_directory.hpp"

#include <algorithm>
#include <set>

#include "server/room_records.hpp"
#include "server/room_scripts.hpp"

namespace huddle::server {
namespace {


// Keys per SCAN step and per MGET: small enough that one reply never holds Redis up.
constexpr const char* kScanCount = "200";
}  // namespace

std::shared_ptr<RoomDirectory> RoomDirectory::create(net::io_context& ioc, RedisUrl url, Options options,
                                                     Hooks hooks) {
  return std::shared_ptr<RoomDirectory>(new RoomDirectory(ioc, std::move(url), std::move(options), std::move(hooks)));
}

RoomDirectory::RoomDirectory(net::io_context& ioc, RedisUrl url, Options options, Hooks hooks)
    : ioc_(ioc),
      strand_(net::make_strand(ioc)),
      url_(std::move(url)),
      options_(std::move(options)),
      hooks_(std::move(hooks)),
      leaseTimer_(strand_) {
  client_ = RedisClient::create(ioc_, url_);
}

std::vector<std::string> RoomDirectory::claimCommand(const std::string& recordKey) const {
  const std::string key = recordKey.substr(options_.prefix.size());
  return {"EVAL", scripts::kClaim, "2", recordKey, options_.ownerPrefix + key, options_.nodeId, options_.nodePrefix};
}

std::vector<std::string> RoomDirectory::leaseCommand() const {
  return {"SET", options_.nodePrefix + options_.nodeId, "1", "PX",
          std::to_string(static_cast<std::int64_t>(options_.leaseMs))};
}

void RoomDirectory::locate(
    const std::string& key, bool mayCreate,
    std::function<void(std::optional<std::string> owner, std::optional<std::string> record)> done) {
  // A claim without a record holds for as long as a member takes to create the room.
  constexpr const char* kClaimMs = "30000";
  client_->command({"EVAL", scripts::kLocate, "2", options_.prefix + key, options_.ownerPrefix + key,
                    options_.nodeId, options_.nodePrefix, kClaimMs, mayCreate ? "1" : "0"},
                   [done = std::move(done)](RedisResult r) {
                     if (!r.ok() || r.reply->elements.empty()) return done(std::nullopt, std::nullopt);
                     const auto& e = r.reply->elements;
                     done(e[0].text, e.size() > 1 ? std::optional(e[1].text) : std::nullopt);
                   });
}

void RoomDirectory::deadNodes(std::vector<std::string> nodes, std::function<void(std::vector<std::string>)> done) {
  if (nodes.empty()) return;
  auto dead = std::make_shared<std::vector<std::string>>();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const bool last = i + 1 == nodes.size();
    client_->command({"EXISTS", options_.nodePrefix + nodes[i]},
                     [dead, node = nodes[i], last, done](RedisResult r) {
                       if (r.ok() && r.reply->kind == RedisReply::Kind::Integer && r.reply->integer == 0) {
                         dead->push_back(node);
                       }
                       if (last && r.ok()) done(std::move(*dead));  // replies come in order
                     });
  }
}

void RoomDirectory::renewLease() {
  client_->command(leaseCommand(), [](RedisResult) {});  // a lapse shows as Redis down anyway
  leaseTimer_.expires_after(std::chrono::milliseconds(static_cast<std::int64_t>(options_.leaseMs / 4)));
  leaseTimer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    {
      std::lock_guard lock(self->mutex_);
      if (self->stopped_) return;
    }
    self->renewLease();
  });
}

std::string RoomDirectory::redactedUrl() const { return server::redactedUrl(url_); }

bool RoomDirectory::loadNow(std::chrono::milliseconds timeout) {
  std::string error;
  auto sync = RedisSyncClient::connect(url_, timeout, error);
  if (!sync) {
    hooks_.log("redis " + redactedUrl() + " unreachable at start (" + error +
               "); rooms are read from it once it is back");
    return false;
  }
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    RedisResult r = sync->command({"SCAN", cursor, "MATCH", options_.prefix + "*", "COUNT", kScanCount});
    if (!r.ok() || r.reply->elements.size() != 2) {
      hooks_.log("redis: cannot list the room directory: " + (r.reply ? r.reply->text : r.error));
      return false;
    }
    cursor = r.reply->elements[0].text;
    for (const auto& key : r.reply->elements[1].elements) keys.push_back(key.text);
  } while (cursor != "0");
  if (RedisResult r = sync->command(leaseCommand()); !r.ok()) {
    hooks_.log("redis: cannot take this node's lease: " + (r.reply ? r.reply->text : r.error));
    return false;
  }
  std::vector<std::optional<std::string>> texts;
  for (const auto& key : keys) {
    RedisResult r = sync->command(claimCommand(key));
    if (!r.ok()) {
      hooks_.log("redis: cannot read the room directory: " + (r.reply ? r.reply->text : r.error));
      return false;
    }
    texts.push_back(r.reply->kind == RedisReply::Kind::String ? std::optional(r.reply->text) : std::nullopt);
  }
  std::size_t restored = restoreTexts(texts);
  std::lock_guard lock(mutex_);
  loaded_ = true;
  counts_.restored += restored;
  return true;
}

std::size_t RoomDirectory::restoreTexts(const std::vector<std::optional<std::string>>& texts) {
  std::vector<RoomRecord> records;
  const std::int64_t now = wallClockMs();
  std::size_t unreadable = 0;
  for (const auto& text : texts) {
    if (!text) continue;  // another node's, or expired between SCAN and GET
    std::string error;
    if (auto record = decodeRoomRecord(*text, now, error)) {
      records.push_back(std::move(*record));
    } else if (++unreadable <= 10) {  // the first few say what; the count says how many
      hooks_.log("redis: a room record this server cannot read: " + error);
    }
  }
  if (unreadable > 10) hooks_.log("redis: " + std::to_string(unreadable) + " room records this server cannot read");
  std::size_t restored = records.empty() ? 0 : hooks_.restore(std::move(records));
  if (restored > 0) hooks_.log("redis: " + std::to_string(restored) + " rooms restored from the directory");
  return restored;
}

void RoomDirectory::start() {
  auto self = shared_from_this();
  client_->onUp([self] {
    self->hooks_.log("redis " + self->redactedUrl() + " connected");
    self->client_->command(self->leaseCommand(), [](RedisResult) {});
    self->reconcile();
  });
  client_->onDown([self](std::string reason) {
    {
      std::lock_guard lock(self->mutex_);
      self->reconciling_ = false;  // a reconcile cut short starts again on the next connection
    }
    self->hooks_.log("redis " + self->redactedUrl() + " unavailable: " + reason);
  });
  client_->start();
  net::post(strand_, [self] { self->renewLease(); });
}

void RoomDirectory::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  net::post(strand_, [self = shared_from_this()] { self->leaseTimer_.cancel(); });
  client_->stop();
}

void RoomDirectory::changed(std::vector<RoomChange> changes) {
  std::lock_guard lock(mutex_);
  for (auto& change : changes) pending_[change.key] = std::move(change.record);  // the newest wins
  if (flushPosted_ || stopped_) return;
  flushPosted_ = true;
  net::post(strand_, [self = shared_from_this()] { self->flush(); });
}

void RoomDirectory::clearPending() {
  std::lock_guard lock(mutex_);
  pending_.clear();
}

void RoomDirectory::flush() {
  std::map<std::string, std::optional<RoomRecord>> batch;
  {
    std::lock_guard lock(mutex_);
    flushPosted_ = false;
    if (stopped_) return;
    // Being rewritten whole: what changed after the snapshot is flushed when it is done.
    if (reconciling_) return;
    // Not read yet, or unreachable: the reconcile after the next connection writes every room.
    if (!loaded_ || !client_->status().up) {
      pending_.clear();
      return;
    }
    batch.swap(pending_);
  }
  for (const auto& [key, record] : batch) write(key, record);
}

void RoomDirectory::write(const std::string& key, const std::optional<RoomRecord>& record) {
  std::vector<std::string> argv;
  if (record) {
    double ttl = 0;
    if (options_.roomIdleMs > 0) ttl = std::max(1.0, options_.roomIdleMs - record->idleMs + options_.graceMs);
    argv = {"EVAL", scripts::kWrite, "2", options_.prefix + key, options_.ownerPrefix + key, options_.nodeId,
            encodeRoomRecord(*record, wallClockMs()), std::to_string(static_cast<std::int64_t>(ttl))};
  } else {
    argv = {"EVAL", scripts::kDelete, "2", options_.prefix + key, options_.ownerPrefix + key, options_.nodeId};
  }
  client_->command(std::move(argv), [self = shared_from_this(), key, live = record.has_value()](RedisResult r) {
    bool foreign = r.ok() && r.reply->kind == RedisReply::Kind::Integer && r.reply->integer == 0;
    {
      std::lock_guard lock(self->mutex_);
      if (r.ok() && !foreign) {
        ++self->counts_.written;
      } else {
        ++self->counts_.failed;  // lost with the connection: the reconcile after it writes it again
      }
    }
    // Another node owns it: it took the room over while this one was away from Redis for longer
    // than its lease. Two nodes now hold the room; the other one is the directory's.
    if (foreign && live) self->hooks_.log("redis: room " + key + " is owned by another node; not written");
  });
}

void RoomDirectory::reconcile() {
  {
    std::lock_guard lock(mutex_);
    if (reconciling_ || stopped_) return;
    reconciling_ = true;
  }
  auto keys = std::make_shared<std::vector<std::string>>();
  auto self = shared_from_this();
  scan("0", keys, [self, keys] {
    bool loaded;
    {
      std::lock_guard lock(self->mutex_);
      loaded = self->loaded_;
    }
    // On the strand, like flush(): a flush's writes are all sent before the rewrite's, or after.
    auto rewrite = [self, keys] { net::post(self->strand_, [self, keys] { self->rewrite(*keys); }); };
    if (loaded) return rewrite();
    self->loadKeys(keys, rewrite);
  });
}

void RoomDirectory::scan(std::string cursor, std::shared_ptr<std::vector<std::string>> keys,
                         std::function<void()> done) {
  auto self = shared_from_this();
  client_->command({"SCAN", cursor, "MATCH", options_.prefix + "*", "COUNT", kScanCount},
                   [self, keys, done = std::move(done)](RedisResult r) mutable {
                     if (!r.ok() || r.reply->elements.size() != 2) {
                       return self->abandon("cannot list the room directory", r);
                     }
                     for (const auto& key : r.reply->elements[1].elements) keys->push_back(key.text);
                     const std::string next = r.reply->elements[0].text;
                     if (next == "0") return done();
                     self->scan(next, keys, std::move(done));
                   });
}

void RoomDirectory::loadKeys(std::shared_ptr<std::vector<std::string>> keys, std::function<void()> done) {
  auto texts = std::make_shared<std::vector<std::optional<std::string>>>(keys->size());
  auto finish = [self = shared_from_this(), texts, done = std::move(done)] {
    std::size_t restored = self->restoreTexts(*texts);
    {
      std::lock_guard lock(self->mutex_);
      self->loaded_ = true;
      self->counts_.restored += restored;
    }
    done();
  };
  if (keys->empty()) return finish();
  // Pipelined: replies come in order, so the last one's callback runs after every other.
  auto failed = std::make_shared<bool>(false);
  for (std::size_t i = 0; i < keys->size(); ++i) {
    const bool last = i + 1 == keys->size();
    client_->command(claimCommand((*keys)[i]), [self = shared_from_this(), texts, failed, i, last,
                                                finish](RedisResult r) {
      if (!r.ok()) *failed = true;
      if (r.ok() && r.reply->kind == RedisReply::Kind::String) (*texts)[i] = r.reply->text;
      if (!last) return;
      if (*failed) return self->abandon("cannot read the room directory", r);
      finish();
    });
  }
}

void RoomDirectory::abandon(std::string_view what, const RedisResult& r) {
  {
    std::lock_guard lock(mutex_);
    reconciling_ = false;
  }
  // Lost with the connection, it starts again on the next one; refused by Redis, it waits for one.
  hooks_.log("redis: " + std::string(what) + ": " + (r.reply ? r.reply->text : r.error));
}

void RoomDirectory::rewrite(const std::vector<std::string>& stored) {
  std::vector<RoomRecord> live = hooks_.snapshot();
  std::set<std::string> liveKeys;
  for (const auto& record : live) {
    liveKeys.insert(options_.prefix + record.key);
    write(record.key, record);
  }
  for (const auto& key : stored) {
    if (!liveKeys.contains(key)) write(key.substr(options_.prefix.size()), std::nullopt);
  }
  bool more;
  {
    std::lock_guard lock(mutex_);
    reconciling_ = false;
    ++counts_.reconciles;
    more = !pending_.empty() && !flushPosted_;
    if (more) flushPosted_ = true;
  }
  if (more) net::post(strand_, [self = shared_from_this()] { self->flush(); });
  hooks_.log("redis: directory reconciled, " + std::to_string(live.size()) + " rooms written");
}

RoomDirectory::Status RoomDirectory::status() const {
  RedisClient::Status redis = client_->status();
  std::lock_guard lock(mutex_);
  Status s = counts_;
  s.up = redis.up;
  s.reason = redis.reason;
  s.loaded = loaded_;
  s.reconnects = redis.reconnects;
  s.roundTripMs = redis.lastRoundTripMs;
  s.roundTripSeconds = std::move(redis.roundTripSeconds);
  s.nodeId = options_.nodeId;
  return s;
}

}  // namespace huddle::server
