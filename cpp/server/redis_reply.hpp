// What a Redis command gives back, as plain values the room logic can keep: hiredis frees its own
// reply objects as soon as the reply callback returns.
#pragma once

#include <optional>
#include <string>
#include <vector>

struct redisReply;  // hiredis' reply object, known only to the .cpp files that talk to hiredis

namespace huddle::server {

// One RESP2 reply. `text` holds a String (binary-safe), a Status ("OK") or an Error ("ERR ...",
// "WRONGTYPE ..."); `integer` an Integer; `elements` an Array (nested arrays included). A missing
// key or a null array element is Nil.
struct RedisReply {
  enum class Kind { Nil, Integer, String, Status, Error, Array } kind = Kind::Nil;
  long long integer = 0;
  std::string text;
  std::vector<RedisReply> elements;
};

// How a command ended: a reply (which may itself be an Error reply), or `error` saying why there is
// none (not connected, the connection was lost before the reply, the client was stopped).
struct RedisResult {
  std::optional<RedisReply> reply;
  std::string error;
  // A reply that is not an Error reply.
  bool ok() const { return reply && reply->kind != RedisReply::Kind::Error; }
};

// A deep copy of hiredis' reply.
RedisReply copyRedisReply(const redisReply& reply);

}  // namespace huddle::server
