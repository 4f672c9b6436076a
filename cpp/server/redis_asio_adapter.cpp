#include "server/redis_asio_adapter.hpp"

#include <hiredis/async.h>

namespace huddle::server {

RedisAsioAdapter::RedisAsioAdapter(redisAsyncContext* ac, RedisStrand strand, const std::shared_ptr<void>& owner)
    : ac_(ac), socket_(std::move(strand)), owner_(owner) {}

std::shared_ptr<RedisAsioAdapter> RedisAsioAdapter::attach(redisAsyncContext* ac, RedisStrand strand,
                                                           const std::shared_ptr<void>& owner) {
  std::shared_ptr<RedisAsioAdapter> adapter(new RedisAsioAdapter(ac, std::move(strand), owner));
  beast::error_code ec;
  adapter->socket_.assign(ac->c.fd, ec);
  if (ec) return nullptr;
  ac->ev.data = adapter.get();
  ac->ev.addRead = &RedisAsioAdapter::addRead;
  ac->ev.delRead = &RedisAsioAdapter::delRead;
  ac->ev.addWrite = &RedisAsioAdapter::addWrite;
  ac->ev.delWrite = &RedisAsioAdapter::delWrite;
  ac->ev.cleanup = &RedisAsioAdapter::cleanup;
  return adapter;
}

RedisAsioAdapter::~RedisAsioAdapter() {
  // Only reached without cleanup if the io_context went away first; the fd is still hiredis'.
  if (socket_.is_open()) socket_.release();
}

void RedisAsioAdapter::addRead(void* self) {
  auto* adapter = static_cast<RedisAsioAdapter*>(self);
  adapter->wantRead_ = true;
  adapter->waitReadable();
}

void RedisAsioAdapter::delRead(void* self) { static_cast<RedisAsioAdapter*>(self)->wantRead_ = false; }

void RedisAsioAdapter::addWrite(void* self) {
  auto* adapter = static_cast<RedisAsioAdapter*>(self);
  adapter->wantWrite_ = true;
  adapter->waitWritable();
}

void RedisAsioAdapter::delWrite(void* self) { static_cast<RedisAsioAdapter*>(self)->wantWrite_ = false; }

void RedisAsioAdapter::cleanup(void* self) {
  auto* adapter = static_cast<RedisAsioAdapter*>(self);
  adapter->ac_ = nullptr;
  adapter->wantRead_ = adapter->wantWrite_ = false;
  // Deregisters the fd from the reactor and aborts the outstanding waits; hiredis closes the fd
  // right after this returns.
  if (adapter->socket_.is_open()) adapter->socket_.release();
}

// A delRead while a wait is outstanding leaves the wait armed (Asio cannot cancel one direction
// alone); its completion then finds wantRead_ false and does nothing, and hiredis' next addRead
// arms a new one.
void RedisAsioAdapter::waitReadable() {
  if (readWait_ || !wantRead_ || !attached()) return;
  readWait_ = true;
  auto handler = [self = shared_from_this(), owner = owner_.lock()](beast::error_code ec) {
    self->readWait_ = false;
    if (ec == net::error::operation_aborted || !self->attached() || !self->wantRead_) return;
    // Other errors (none expected from epoll) are left to hiredis' own read, which reports them.
    redisAsyncHandleRead(self->ac_);  // may free the context (cleanup then detaches us)
    self->waitReadable();
  };
  socket_.async_wait(net::posix::stream_descriptor::wait_read, std::move(handler));
}

void RedisAsioAdapter::waitWritable() {
  if (writeWait_ || !wantWrite_ || !attached()) return;
  writeWait_ = true;
  auto handler = [self = shared_from_this(), owner = owner_.lock()](beast::error_code ec) {
    self->writeWait_ = false;
    if (ec == net::error::operation_aborted || !self->attached() || !self->wantWrite_) return;
    redisAsyncHandleWrite(self->ac_);
    self->waitWritable();
  };
  socket_.async_wait(net::posix::stream_descriptor::wait_write, std::move(handler));
}

}  // namespace huddle::server
