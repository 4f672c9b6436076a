#include "room_watch.hpp"

#include <chrono>
#include <memory>

#include <boost/asio/write.hpp>

namespace loadgen {
namespace {

// How soon a room not stored yet is asked about again.
constexpr auto kRetry = std::chrono::milliseconds(2);

}  // namespace

RoomWatch::RoomWatch(net::io_context& io, tcp::endpoint redis, std::function<void(const std::string&)> failed)
    : socket_(io), redis_(redis), failed_(std::move(failed)) {}

void RoomWatch::start() {
  socket_.async_connect(redis_, [this](const boost::system::error_code& ec) {
    if (ec) return fail("redis " + redis_.address().to_string() + ":" + std::to_string(redis_.port()) + ": " + ec.message());
    connected_ = true;
    read();
    flush();
  });
}

void RoomWatch::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void RoomWatch::whenStored(const std::string& code, std::function<void()> stored) {
  ask({code, std::move(stored)});
}

void RoomWatch::ask(Asked asked) {
  if (stopped_) return;
  // Codes are 6 characters of A-Z and 2-9 (docs/protocol.md): an inline command needs no quoting.
  out_ += "EXISTS huddle:room:" + asked.code + "\r\n";
  waiting_.push_back(std::move(asked));
  flush();
}

void RoomWatch::flush() {
  if (!connected_ || stopped_ || !writing_.empty() || out_.empty()) return;
  std::swap(out_, writing_);
  net::async_write(socket_, net::buffer(writing_), [this](const boost::system::error_code& ec, std::size_t) {
    writing_.clear();
    if (ec) return fail("redis: " + ec.message());
    flush();
  });
}

void RoomWatch::read() {
  socket_.async_read_some(net::buffer(buffer_), [this](const boost::system::error_code& ec, std::size_t n) {
    if (stopped_) return;
    if (ec) return fail("redis: " + ec.message());
    in_.append(buffer_, n);
    std::size_t end;
    while ((end = in_.find("\r\n")) != std::string::npos) {
      const std::string reply = in_.substr(0, end);
      in_.erase(0, end + 2);
      if (waiting_.empty() || (reply != ":0" && reply != ":1")) return fail("redis answered '" + reply + "'");
      Asked asked = std::move(waiting_.front());
      waiting_.pop_front();
      if (reply == ":1") {
        asked.stored();
        continue;
      }
      auto timer = std::make_shared<net::steady_timer>(socket_.get_executor(), kRetry);
      timer->async_wait([this, timer, asked = std::move(asked)](const boost::system::error_code& e) mutable {
        if (!e) ask(std::move(asked));
      });
    }
    read();
  });
}

void RoomWatch::fail(const std::string& why) {
  if (stopped_) return;
  stopped_ = true;
  failed_(why);
}

}  // namespace loadgen
