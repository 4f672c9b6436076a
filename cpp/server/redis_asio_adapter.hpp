// hiredis' event-library hooks (ac->ev) implemented with Boost.Asio: hiredis ships adapters for
// libevent, libuv and others but none for Asio. One adapter per redisAsyncContext, everything on
// one strand.
//
// hiredis asks for read/write readiness through addRead/delRead/addWrite/delWrite; the adapter
// waits for it with async_wait on a stream_descriptor over the context's fd and then calls
// redisAsyncHandleRead/Write. hiredis owns the fd: when it frees the context it calls cleanup
// first, which releases the fd from Asio (deregistered, never closed by us) and detaches the
// adapter. Cleanup can run inside any hiredis call (a reply callback, redisAsyncFree, a failed
// read), so nothing here touches the context once it has run.
#pragma once

#include <memory>

#include <boost/asio/posix/stream_descriptor.hpp>

#include "server/net.hpp"

struct redisAsyncContext;

namespace huddle::server {

using RedisStrand = net::strand<net::io_context::executor_type>;

class RedisAsioAdapter : public std::enable_shared_from_this<RedisAsioAdapter> {
 public:
  // Installs the hooks on `ac`, which must be freshly connected (no hooks, no connect callback
  // yet: redisAsyncSetConnectCallback asks for the first write through the hooks). Call on `strand`.
  // Every pending wait holds `owner` (whatever hiredis' callbacks reach through ac->data), so no
  // callback finds it destroyed; the adapter itself only points to it, so an owner that holds the
  // adapter makes no cycle. The owner keeps the adapter until the context is gone. Returns
  // nullptr (hooks untouched) if Asio cannot watch the fd.
  static std::shared_ptr<RedisAsioAdapter> attach(redisAsyncContext* ac, RedisStrand strand,
                                                  const std::shared_ptr<void>& owner);
  ~RedisAsioAdapter();  // releases the fd if still held, never closes it

  RedisAsioAdapter(const RedisAsioAdapter&) = delete;
  RedisAsioAdapter& operator=(const RedisAsioAdapter&) = delete;

  // False once hiredis has called cleanup: the context is freed or about to be.
  bool attached() const { return ac_ != nullptr; }

 private:
  RedisAsioAdapter(redisAsyncContext* ac, RedisStrand strand, const std::shared_ptr<void>& owner);

  static void addRead(void* self);
  static void delRead(void* self);
  static void addWrite(void* self);
  static void delWrite(void* self);
  static void cleanup(void* self);

  void waitReadable();
  void waitWritable();

  redisAsyncContext* ac_;
  net::posix::stream_descriptor socket_;
  std::weak_ptr<void> owner_;
  bool wantRead_ = false;   // hiredis wants read events (between addRead and delRead)
  bool wantWrite_ = false;
  bool readWait_ = false;   // an async_wait for reading is outstanding
  bool writeWait_ = false;
};

}  // namespace huddle::server
