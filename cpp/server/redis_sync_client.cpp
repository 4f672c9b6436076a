// RedisSyncClient (declared in redis_client.hpp): hiredis' blocking API, for start-up only.
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <sys/time.h>

#include "server/redis_client.hpp"

namespace huddle::server {
namespace {

timeval toTimeval(std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  return tv;
}

std::string describeReply(const RedisResult& result) {
  if (!result.reply) return result.error;
  return result.reply->text;
}

}  // namespace

void RedisSyncClient::Free::operator()(redisContext* context) const { redisFree(context); }

std::optional<RedisSyncClient> RedisSyncClient::connect(const RedisUrl& url, std::chrono::milliseconds timeout,
                                                        std::string& error) {
  const std::string where = redactedUrl(url);
  const timeval tv = toTimeval(timeout);
  redisContext* context = redisConnectWithTimeout(url.host.c_str(), url.port, tv);
  if (context == nullptr) {
    error = "cannot connect to " + where + ": out of memory";
    return std::nullopt;
  }
  RedisSyncClient client(context);
  if (context->err) {
    error = "cannot connect to " + where + ": " + context->errstr;
    return std::nullopt;
  }
  ::fcntl(context->fd, F_SETFD, FD_CLOEXEC);  // hiredis 0.14 opens it without; no child inherits it
  // The connect timeout bounds each command's reads and writes too, so start-up never hangs on a
  // Redis that accepted the connection but does not answer.
  redisSetTimeout(context, tv);
  if (!url.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!url.username.empty()) auth.push_back(url.username);
    auth.push_back(url.password);
    if (auto result = client.command(auth); !result.ok()) {
      error = "redis at " + where + ": authentication failed: " + describeReply(result);
      return std::nullopt;
    }
  }
  if (url.db != 0) {
    if (auto result = client.command({"SELECT", std::to_string(url.db)}); !result.ok()) {
      error = "redis at " + where + ": SELECT failed: " + describeReply(result);
      return std::nullopt;
    }
  }
  // As in RedisClient: connected means Redis answers us (a missing password shows here, as NOAUTH).
  if (auto result = client.command({"PING"}); !result.ok()) {
    error = "redis at " + where + ": PING failed: " + describeReply(result);
    return std::nullopt;
  }
  return client;
}

RedisResult RedisSyncClient::command(const std::vector<std::string>& argv) {
  if (!context_) return {std::nullopt, "redis client moved from"};
  if (context_->err) return {std::nullopt, std::string("redis connection failed: ") + context_->errstr};
  if (argv.empty()) return {std::nullopt, "empty redis command"};
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  for (const auto& arg : argv) {
    pointers.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context_.get(), static_cast<int>(argv.size()), pointers.data(), lengths.data()));
  if (reply == nullptr) return {std::nullopt, std::string("no reply from redis: ") + context_->errstr};
  RedisResult result{copyRedisReply(*reply), {}};
  freeReplyObject(reply);
  return result;
}

}  // namespace huddle::server
