#include "server/usage_exchange.hpp"

namespace huddle::server {
namespace {

constexpr const char* kStream = "huddle:usage";
constexpr const char* kBlockMs = "1000";
constexpr const char* kBatch = "256";
// Reports older than a few seconds are of no use to anyone: the stream keeps about this many
// (at 5 reports a second a node, some tens of seconds for a few nodes).
constexpr const char* kMaxEntries = "1000";

RedisClient::Options readerOptions() {
  RedisClient::Options o;
  o.replyTimeout = std::chrono::milliseconds(5000);  // XREAD BLOCK answers within kBlockMs
  return o;
}

}  // namespace

std::shared_ptr<UsageExchange> UsageExchange::create(net::io_context& ioc, RedisUrl url, std::string nodeId,
                                                     Deliver deliver) {
  return std::shared_ptr<UsageExchange>(new UsageExchange(ioc, std::move(url), std::move(nodeId), std::move(deliver)));
}

UsageExchange::UsageExchange(net::io_context& ioc, RedisUrl url, std::string nodeId, Deliver deliver)
    : nodeId_(std::move(nodeId)),
      deliver_(std::move(deliver)),
      reader_(RedisClient::create(ioc, url, readerOptions())),
      writer_(RedisClient::create(ioc, url)) {}

void UsageExchange::start() {
  auto self = shared_from_this();
  reader_->onUp([self] { self->read(); });
  reader_->start();
  writer_->start();
}

void UsageExchange::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  reader_->stop();
  writer_->stop();
}

void UsageExchange::publish(std::string report) {
  if (!writer_->status().up) return;
  ++sent_;
  writer_->command({"XADD", kStream, "MAXLEN", "~", kMaxEntries, "*", "f", nodeId_, "r", std::move(report)},
                   [](RedisResult) {});
}

// One XREAD after another from the last entry read; on the first connection, from the newest
// entry (older reports are stale by the time this node could use them).
void UsageExchange::read() {
  std::string from;
  {
    std::lock_guard lock(mutex_);
    if (stopped_ || reading_) return;
    reading_ = true;
    from = lastId_;
  }
  auto self = shared_from_this();
  if (from.empty()) {
    reader_->command({"XREVRANGE", kStream, "+", "-", "COUNT", "1"}, [self](RedisResult r) {
      {
        std::lock_guard lock(self->mutex_);
        self->reading_ = false;
        if (!r.ok()) return;  // down: onUp asks again
        const auto& newest = r.reply->elements;
        self->lastId_ = newest.empty() || newest[0].elements.empty() ? "0-0" : newest[0].elements[0].text;
      }
      self->read();
    });
    return;
  }
  reader_->command({"XREAD", "COUNT", kBatch, "BLOCK", kBlockMs, "STREAMS", kStream, from}, [self](RedisResult r) {
    {
      std::lock_guard lock(self->mutex_);
      self->reading_ = false;
    }
    if (!r.ok()) return;  // down: onUp reads again from the last entry
    // [[stream, [[id, [field, value, ...]], ...]]], or Nil when the block ran out.
    if (r.reply->kind == RedisReply::Kind::Array && !r.reply->elements.empty() &&
        r.reply->elements[0].elements.size() == 2) {
      for (const RedisReply& entry : r.reply->elements[0].elements[1].elements) {
        if (entry.elements.size() != 2) continue;
        std::string node, report;
        const auto& fields = entry.elements[1].elements;
        for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
          if (fields[i].text == "f") node = fields[i + 1].text;
          if (fields[i].text == "r") report = fields[i + 1].text;
        }
        {
          std::lock_guard lock(self->mutex_);
          self->lastId_ = entry.elements[0].text;
        }
        if (node.empty() || node == self->nodeId_) continue;  // its own reports are charged already
        ++self->received_;
        self->deliver_(node, std::move(report));
      }
    }
    self->read();
  });
}

}  // namespace huddle::server
