// The room directory's Lua scripts (docs/cluster.md, "Owners"): each runs atomically in Redis, so
// two nodes never both take a room, and a node never writes or deletes a room another one owns.
// Keys: huddle:room:<key> (the record), huddle:owner:<key> (the owning node's id),
// huddle:node:<id> (the node's lease, which expires unless the node renews it).
#pragma once

namespace huddle::server::scripts {

// KEYS: record, owner. ARGV: this node's id, the node lease keys' prefix.
// The record's text when this node owns the room now: it did, its owner's lease has lapsed, or it
// had none (the owner is then set to this node); nil when a live node owns it, or there is none.
inline constexpr const char* kClaim = R"lua(
local text = redis.call('GET', KEYS[1])
if not text then return false end
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. owner) == 1 then return false end
redis.call('SET', KEYS[2], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return text
)lua";

// KEYS: record, owner. ARGV: this node's id, the record's text, its time to live in ms (0: none).
// Writes the record unless another node owns the room; 1 written, 0 not.
inline constexpr const char* kWrite = R"lua(
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[1] then return 0 end
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ttl)
else
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('SET', KEYS[2], ARGV[1])
end
return 1
)lua";

// KEYS: record, owner. ARGV: this node's id. Deletes both unless another node owns the room.
inline constexpr const char* kDelete = R"lua(
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
)lua";

// KEYS: record, owner. ARGV: this node's id, the node lease keys' prefix, how long a claim without
// a record holds (ms), "1" when the join may create the room. Where a join should go: {owner} when
// a live node other than this one holds the room; otherwise this node claims it and gets {id} and,
// when there is one, the record to restore ({id, record}). A claim for a room that does not exist
// yet (a join that creates it) lapses unless the record is written meanwhile, which sets the owner
// for as long as the record. A join that may not create claims nothing when there is no record:
// it is answered room_not_found here, and a claim would lock out the node that created the room a
// moment ago and has not written it yet (kWrite refuses a room another node owns).
inline constexpr const char* kLocate = R"lua(
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. owner) == 1 then return {owner} end
local text = redis.call('GET', KEYS[1])
if text then
  redis.call('SET', KEYS[2], ARGV[1])
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
  return {ARGV[1], text}
end
if ARGV[4] == '1' then redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3]) end
return {ARGV[1]}
)lua";

}  // namespace huddle::server::scripts
