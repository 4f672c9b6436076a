// huddle-server as an object: what main() runs and what tests start on 127.0.0.1:0.
//
//   Server server(config);
//   if (auto ec = server.start()) { ... }   // binds, then runs the I/O threads in the background
//   server.port();                           // the real port (useful with port 0)
//   server.stop();                           // graceful: stop accepting, close every WebSocket
//                                            // with going_away, let the I/O threads drain
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/config.hpp"
#include "server/metrics.hpp"
#include "server/net.hpp"

namespace huddle::server {

class Listener;
class NodeLink;
class RoomDirectory;
class SharedState;
class UsageExchange;

// How long a graceful stop waits for connections to finish their closing handshakes before
// the I/O loop is stopped outright.
inline constexpr std::chrono::seconds kShutdownGrace{3};
// How long a starting server waits for Redis to read the stored rooms; past it, it starts without
// them and reads them on its first connection (room_directory.hpp).
inline constexpr std::chrono::seconds kRedisStartTimeout{2};

class Server {
 public:
  explicit Server(ServerConfig config);
  // Stops (gracefully) if still running. Never throws.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // SIGINT and SIGTERM start a graceful stop. Call before start(); for main(), not for tests.
  void handleSignals() { handleSignals_ = true; }

  // Binds config.host:config.port and starts config.threads I/O threads. Returns the bind/listen
  // error, if any (nothing is running then). Call once.
  beast::error_code start();

  // The bound port and "http://HOST:PORT" (valid after a successful start()).
  unsigned short port() const { return endpoint_.port(); }
  std::string url() const;

  // Starts a graceful stop and returns at once. Thread-safe, idempotent; also what signals do.
  void shutdown();
  // Blocks until the server has stopped (after shutdown(), by call or signal) and its threads are
  // joined. Connections still open kShutdownGrace after shutdown() are dropped.
  void wait();
  // shutdown() + wait().
  void stop();

  StatsSnapshot stats() const;

 private:
  // --redis: the room directory, its stored rooms read back before the listener opens.
  void attachDirectory();
  void runThread();
  void scheduleGraceTick();
  void scheduleUsageTick();

  ServerConfig config_;
  bool handleSignals_ = false;
  // Declared first so it is destroyed last: handlers it still holds may own sessions.
  net::io_context ioc_;
  std::shared_ptr<SharedState> state_;
  std::shared_ptr<Listener> listener_;
  std::shared_ptr<RoomDirectory> directory_;  // --redis only
  std::shared_ptr<NodeLink> link_;            // --redis only
  std::shared_ptr<UsageExchange> usage_;      // --redis only
  std::optional<net::signal_set> signals_;
  // Ticks once a second to end the grace of away members.
  std::optional<net::steady_timer> graceTimer_;
  // --redis: ticks every kUsageReportInterval to share the limits per address (usage_exchange.hpp).
  std::optional<net::steady_timer> usageTimer_;
  tcp::endpoint endpoint_;

  std::mutex mutex_;
  std::condition_variable changed_;
  bool started_ = false;
  bool shutdownRequested_ = false;
  std::size_t threadsDone_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace huddle::server
