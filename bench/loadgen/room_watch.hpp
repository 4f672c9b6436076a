// Tells a worker when a room is in the Redis that several huddle-servers share (docs/cluster.md),
// so that its members on other servers can join it. Their server looks the room up there; the
// room's server writes it just after answering the creator, and a join that looked first would
// find no room (and its server's claim on the key would keep the record out for a while).
//
// One connection per worker, on the worker's io_context: EXISTS huddle:room:<code>, pipelined,
// asked again every kRetry until the answer is 1.
#pragma once

#include <deque>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace loadgen {

namespace net = boost::asio;
using tcp = net::ip::tcp;

class RoomWatch {
 public:
  // `failed` is called once if Redis cannot be reached or answers something else.
  RoomWatch(net::io_context& io, tcp::endpoint redis, std::function<void(const std::string&)> failed);

  void start();
  // Calls `stored` on the io thread once huddle:room:<code> exists.
  void whenStored(const std::string& code, std::function<void()> stored);
  void stop();

 private:
  struct Asked {
    std::string code;
    std::function<void()> stored;
  };
  void ask(Asked asked);
  void flush();
  void read();
  void fail(const std::string& why);

  tcp::socket socket_;
  const tcp::endpoint redis_;
  const std::function<void(const std::string&)> failed_;
  std::deque<Asked> waiting_;  // asked, in the order of the answers to come
  std::string out_;
  std::string writing_;
  std::string in_;
  char buffer_[512];
  bool connected_ = false;
  bool stopped_ = false;
};

}  // namespace loadgen
