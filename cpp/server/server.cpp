#include "server/server.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include "server/listener.hpp"
#include "server/log.hpp"
#include "server/node_link.hpp"
#include "server/redis_url.hpp"
#include "server/room_directory.hpp"
#include "server/shared_state.hpp"
#include "server/usage_exchange.hpp"

namespace huddle::server {
namespace {

// HOSTNAME:PORT: what a node restarted in the same place is called again, so it reads its own
// rooms back whatever its lease says.
std::string defaultNodeId(unsigned short port) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == 0) std::snprintf(host, sizeof host, "huddle");
  return std::string(host) + ":" + std::to_string(port);
}

}  // namespace

Server::Server(ServerConfig config)
    : config_(std::move(config)),
      ioc_(config_.threads),
      state_(std::make_shared<SharedState>(config_)),
      listener_(std::make_shared<Listener>(ioc_, state_)) {}

void Server::attachDirectory() {
  std::string error;
  auto url = parseRedisUrl(config_.redisUrl, error);  // checked when the options were parsed
  if (!url) throw std::invalid_argument("--redis: " + error);
  // Weak: the state holds the directory, which must not keep the state alive in turn.
  std::weak_ptr<SharedState> weak = state_;
  RoomDirectory::Hooks hooks{
      .restore = [weak](std::vector<RoomRecord> records) -> std::size_t {
        auto state = weak.lock();
        return state ? state->restoreRooms(std::move(records)) : 0;
      },
      .snapshot = [weak] {
        auto state = weak.lock();
        return state ? state->roomSnapshot() : std::vector<RoomRecord>{};
      },
      .log = [weak](std::string_view line) {
        if (auto state = weak.lock()) state->log(line, {.event = "redis"});
      }};
  RoomDirectory::Options options{.nodeId = config_.nodeId.empty() ? defaultNodeId(endpoint_.port()) : config_.nodeId,
                                 .leaseMs = config_.nodeLeaseMs,
                                 .roomIdleMs = static_cast<double>(config_.roomIdleMs),
                                 .graceMs = static_cast<double>(config_.memberGraceMs)};
  const std::string nodeId = options.nodeId;
  directory_ = RoomDirectory::create(ioc_, *url, std::move(options), std::move(hooks));
  state_->attachDirectory(directory_);
  link_ = NodeLink::create(
      ioc_, *url, nodeId,
      [weak](NodeMessage m) {
        if (auto state = weak.lock()) state->onNodeMessage(std::move(m));
      },
      [weak](std::string_view line) {
        if (auto state = weak.lock()) state->log(line);
      });
  state_->attachLink(link_);
  usage_ = UsageExchange::create(ioc_, *url, nodeId, [weak](const std::string& from, std::string report) {
    if (auto state = weak.lock()) state->onUsageReport(from, report);
  });
  state_->attachUsage(usage_);
  // Before the listener opens: a member coming back finds its room, not an empty server.
  directory_->loadNow(kRedisStartTimeout);
}

Server::~Server() {
  try {
    stop();
  } catch (...) {  // joining threads can only throw on programmer error; never from a destructor
  }
}

beast::error_code Server::start() {
  beast::error_code ec;
  const auto address = net::ip::make_address(config_.host, ec);
  if (ec) return ec;
  ec = listener_->open(tcp::endpoint(address, config_.port));
  if (ec) return ec;
  endpoint_ = listener_->localEndpoint();
  // Bound, not yet accepting: the stored rooms are back before the first connection is taken.
  if (!config_.redisUrl.empty()) attachDirectory();

  std::error_code fsEc;
  if (!std::filesystem::is_directory(state_->staticFiles().root(), fsEc))
    state_->log("static directory " + state_->staticFiles().root().string() +
                " not found; the web app and its embed scripts are not served");
  if (!std::filesystem::is_directory(state_->experiences().root(), fsEc))
    state_->log("experiences directory " + state_->experiences().root().string() +
                " not found; /experiences/ lists none");

  if (handleSignals_) {
    signals_.emplace(net::make_strand(ioc_), SIGINT, SIGTERM);
    signals_->async_wait([this](beast::error_code waitEc, int signal) {
      if (waitEc) return;
      state_->log(std::string("received ") + (signal == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping",
                  {.event = "stopping"});
      shutdown();
    });
  }
  listener_->run();
  if (directory_) directory_->start();
  if (link_) link_->start();
  if (usage_) {
    usage_->start();
    usageTimer_.emplace(net::make_strand(ioc_));
    scheduleUsageTick();
  }
  // Every second, whatever the config: away members' grace, idle rooms, idle addresses.
  graceTimer_.emplace(net::make_strand(ioc_));
  scheduleGraceTick();

  std::lock_guard lock(mutex_);
  started_ = true;
  for (int i = 0; i < config_.threads; ++i) threads_.emplace_back([this] { runThread(); });
  return {};
}

void Server::scheduleGraceTick() {
  graceTimer_->expires_after(std::chrono::seconds(1));
  graceTimer_->async_wait([this](beast::error_code ec) {
    if (ec) return;  // cancelled: shutting down
    state_->expireAway();
    state_->checkNodes();
    scheduleGraceTick();
  });
}

void Server::scheduleUsageTick() {
  usageTimer_->expires_after(kUsageReportInterval);
  usageTimer_->async_wait([this](beast::error_code ec) {
    if (ec) return;  // cancelled: shutting down
    state_->reportUsage();
    scheduleUsageTick();
  });
}

void Server::runThread() {
  ioc_.run();
  std::lock_guard lock(mutex_);
  ++threadsDone_;
  changed_.notify_all();
}

std::string Server::url() const {
  const auto address = endpoint_.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return "http://" + host + ":" + std::to_string(endpoint_.port());
}

void Server::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (!started_ || shutdownRequested_) return;
    shutdownRequested_ = true;
  }
  changed_.notify_all();
  net::post(ioc_, [this] {
    listener_->stop();
    if (signals_) {
      net::post(signals_->get_executor(), [this] {
        beast::error_code ignored;
        signals_->cancel(ignored);
      });
    }
    if (graceTimer_) net::post(graceTimer_->get_executor(), [this] { graceTimer_->cancel(); });
    if (usageTimer_) net::post(usageTimer_->get_executor(), [this] { usageTimer_->cancel(); });
    state_->shutdown();
    if (directory_) directory_->stop();
    if (link_) link_->stop();
    if (usage_) usage_->stop();
  });
}

void Server::wait() {
  std::unique_lock lock(mutex_);
  if (!started_) return;
  changed_.wait(lock, [this] { return shutdownRequested_ || threadsDone_ == threads_.size(); });
  const bool drained = changed_.wait_for(lock, kShutdownGrace, [this] { return threadsDone_ == threads_.size(); });
  if (!drained) {
    state_->log("connections still open after the shutdown grace period; dropping them",
                {.event = "stopping", .level = "warn"});
    ioc_.stop();
  }
  std::vector<std::thread> threads = std::move(threads_);
  threads_.clear();
  lock.unlock();
  for (auto& t : threads)
    if (t.joinable()) t.join();
  lock.lock();
  started_ = false;
}

void Server::stop() {
  shutdown();
  wait();
}

StatsSnapshot Server::stats() const { return state_->stats(); }

}  // namespace huddle::server
