#include "server/redis_reply.hpp"

#include <hiredis/hiredis.h>

namespace huddle::server {

RedisReply copyRedisReply(const redisReply& reply) {
  RedisReply out;
  switch (reply.type) {
    case REDIS_REPLY_INTEGER:
      out.kind = RedisReply::Kind::Integer;
      out.integer = reply.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      out.kind = reply.type == REDIS_REPLY_STRING   ? RedisReply::Kind::String
                 : reply.type == REDIS_REPLY_STATUS ? RedisReply::Kind::Status
                                                    : RedisReply::Kind::Error;
      out.text.assign(reply.str, reply.len);  // by length: strings may hold NUL bytes
      break;
    case REDIS_REPLY_ARRAY:
      out.kind = RedisReply::Kind::Array;
      out.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) out.elements.push_back(copyRedisReply(*reply.element[i]));
      break;
    default:  // REDIS_REPLY_NIL
      break;
  }
  return out;
}

}  // namespace huddle::server
