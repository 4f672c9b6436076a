// Limits per source address (docs/protocol.md "Limits per address"): what one address may do,
// whichever of its connections does it. The Hub asks before it acts and charges after; the table
// of addresses is itself bounded (AddressLimitConfig::maxAddresses). Time is passed in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "huddle/limits.hpp"
#include "huddle/rate_limit.hpp"

namespace huddle {

// Each limit is a token bucket: `per` tokens a second (or minute) on average, `burst` at once.
struct AddressLimitConfig {
  double roomsPerMinute = limits::kDefaultRoomsPerMinute;
  double roomBurst = limits::kDefaultRoomBurst;
  double failedJoinsPerMinute = limits::kDefaultFailedJoinsPerMinute;
  double failedJoinBurst = limits::kDefaultFailedJoinBurst;
  double relayBytesPerSecond = limits::kDefaultRelayBytesPerSecond;
  double relayByteBurst = limits::kDefaultRelayBytesPerSecond * limits::kRelayByteBurstSeconds;
  double passwordChecksPerSecond = limits::kDefaultPasswordChecksPerSecond;
  double passwordCheckBurst = limits::kDefaultPasswordCheckBurst;
  std::size_t maxAddresses = limits::kDefaultMaxAddresses;
};

// The limits per address, named in rate_limited messages and counted on /metrics.
enum class AddressLimit { Rooms, FailedJoins, RelayBytes, PasswordChecks };
inline constexpr std::size_t kAddressLimitCount = 4;

class AddressLimits {
 public:
  explicit AddressLimits(AddressLimitConfig config) : config_(config) {}

  // A connection from `address` opened or closed. Returns the address it is counted under: itself,
  // or kOverflowAddress when the table is full of addresses with open connections.
  std::string open(const std::string& address, double nowMs);
  void close(const std::string& address);

  // How long until `cost` of `limit` is there for `address` (0: now). Takes nothing.
  double waitMs(const std::string& address, AddressLimit limit, double cost, double nowMs);
  // Takes `cost` of `limit` (which waitMs said is there; a failed join is taken after the fact).
  void take(const std::string& address, AddressLimit limit, double cost, double nowMs);

  // Forgets addresses with no open connection that owe nothing (every bucket full again): dropping
  // them changes no answer. Call it about once a second.
  void sweep(double nowMs);

  std::size_t size() const { return entries_.size(); }
  // Addresses forgotten at the cap while they still owed something (a sign of many addresses).
  std::uint64_t evictedAtCap() const { return evictedAtCap_; }
  // What a refusal by `limit` says: "more than 60 rooms created per minute (bursts of 60)".
  std::string describe(AddressLimit limit) const;
  const AddressLimitConfig& config() const { return config_; }

 private:
  struct Entry {
    explicit Entry(const AddressLimitConfig& c);
    RateLimiter rooms;
    RateLimiter failedJoins;
    RateLimiter relayBytes;
    RateLimiter passwordChecks;
    std::size_t connections = 0;
    double lastSeenMs = 0;
    RateLimiter& bucket(AddressLimit limit);
  };
  Entry& entry(const std::string& address, double nowMs);
  // Makes room for one more entry at the cap; false when every entry has a connection.
  bool evictOne();

  AddressLimitConfig config_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t evictedAtCap_ = 0;
};

}  // namespace huddle
