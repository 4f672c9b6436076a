#include "server/node_link.hpp"

#include <array>
#include <cstdlib>

namespace huddle::server {
namespace {

constexpr std::array<std::string_view, 7> kKinds = {"attach", "in", "close", "out", "drop", "release", "back"};
// How long one XREAD waits for entries (well within the client's reply timeout), and how many it
// takes at once.
constexpr const char* kBlockMs = "1000";
constexpr const char* kBatch = "512";
// An inbox nobody reads (its node is gone for good) stops growing at about this many entries.
constexpr const char* kMaxEntries = "100000";

RedisClient::Options readerOptions() {
  RedisClient::Options o;
  o.replyTimeout = std::chrono::milliseconds(5000);  // XREAD BLOCK answers within kBlockMs
  return o;
}

}  // namespace

std::shared_ptr<NodeLink> NodeLink::create(net::io_context& ioc, RedisUrl url, std::string nodeId, Deliver deliver,
                                           std::function<void(std::string_view)> log) {
  return std::shared_ptr<NodeLink>(new NodeLink(ioc, std::move(url), std::move(nodeId), std::move(deliver), std::move(log)));
}

NodeLink::NodeLink(net::io_context& ioc, RedisUrl url, std::string nodeId, Deliver deliver,
                   std::function<void(std::string_view)> log)
    : nodeId_(std::move(nodeId)),
      inbox_("huddle:inbox:" + nodeId_),
      deliver_(std::move(deliver)),
      log_(std::move(log)),
      reader_(RedisClient::create(ioc, url, readerOptions())),
      writer_(RedisClient::create(ioc, url)) {}

void NodeLink::start() {
  auto self = shared_from_this();
  reader_->onUp([self] { self->read(); });
  reader_->start();
  writer_->start();
}

void NodeLink::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  reader_->stop();
  writer_->stop();
}

void NodeLink::send(const std::string& to, NodeMessage m) {
  std::vector<std::string> argv{"XADD", "huddle:inbox:" + to, "MAXLEN", "~", kMaxEntries, "*",
                                "k", std::string(kKinds[static_cast<std::size_t>(m.kind)]),
                                "f", nodeId_, "c", std::to_string(m.conn), "d", std::move(m.data)};
  if (!m.address.empty()) argv.insert(argv.end(), {"a", std::move(m.address)});
  if (!m.identity.empty()) argv.insert(argv.end(), {"i", std::move(m.identity)});
  ++sent_;
  writer_->command(std::move(argv), [self = shared_from_this()](RedisResult r) {
    if (!r.ok() || r.reply->kind == RedisReply::Kind::Error) ++self->dropped_;
  });
}

// One XREAD after another, from the last entry read. On a node's first connection it starts after
// the inbox's newest entry: what an earlier run of this node was sent concerns connections that
// are gone.
void NodeLink::read() {
  std::string from;
  {
    std::lock_guard lock(mutex_);
    if (stopped_ || reading_) return;
    reading_ = true;
    from = lastId_;
  }
  if (from.empty()) {
    reader_->command({"XREVRANGE", inbox_, "+", "-", "COUNT", "1"}, [self = shared_from_this()](RedisResult r) {
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
  auto self = shared_from_this();
  reader_->command({"XREAD", "COUNT", kBatch, "BLOCK", kBlockMs, "STREAMS", inbox_, from}, [self](RedisResult r) {
    {
      std::lock_guard lock(self->mutex_);
      self->reading_ = false;
    }
    if (!r.ok()) return;  // down: onUp reads again from the last entry
    // [[inbox, [[id, [field, value, ...]], ...]]], or Nil when the block ran out.
    // The reply is ours: its strings move into the messages (a frame is not copied again).
    if (r.reply->kind == RedisReply::Kind::Array && !r.reply->elements.empty()) {
      RedisReply& entries = r.reply->elements[0].elements.at(1);
      for (RedisReply& entry : entries.elements) {
        if (entry.elements.size() != 2) continue;
        NodeMessage m;
        bool known = false;
        auto& fields = entry.elements[1].elements;
        for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
          const std::string& name = fields[i].text;
          std::string& value = fields[i + 1].text;
          if (name == "k") {
            for (std::size_t k = 0; k < kKinds.size(); ++k) {
              if (kKinds[k] == value) {
                m.kind = static_cast<NodeMessage::Kind>(k);
                known = true;
              }
            }
          } else if (name == "f") {
            m.from = value;
          } else if (name == "c") {
            m.conn = std::strtoull(value.c_str(), nullptr, 10);
          } else if (name == "d") {
            m.data = std::move(value);
          } else if (name == "a") {
            m.address = std::move(value);
          } else if (name == "i") {
            m.identity = std::move(value);
          }
        }
        {
          std::lock_guard lock(self->mutex_);
          self->lastId_ = entry.elements[0].text;
        }
        ++self->received_;
        if (known && !m.from.empty()) self->deliver_(std::move(m));
      }
    }
    self->read();
  });
}

}  // namespace huddle::server
