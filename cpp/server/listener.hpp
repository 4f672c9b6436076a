// Accepts TCP connections and starts an HttpSession for each, on its own strand.
#pragma once

#include <memory>

#include <boost/asio/steady_timer.hpp>

#include "server/net.hpp"

namespace huddle::server {

class SharedState;

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, std::shared_ptr<SharedState> state);

  // Opens, binds and listens (synchronously, so the caller learns the port or the failure).
  beast::error_code open(const tcp::endpoint& endpoint);
  tcp::endpoint localEndpoint() const;
  // Starts accepting. Call after a successful open().
  void run();
  // Stops accepting. Thread-safe.
  void stop();

 private:
  void doAccept();
  void onAccept(beast::error_code ec, tcp::socket socket);

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;  // pause after accept errors such as EMFILE, to avoid a busy loop
  std::shared_ptr<SharedState> state_;
};

}  // namespace huddle::server
