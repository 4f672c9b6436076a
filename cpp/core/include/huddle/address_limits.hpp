// Limits per source address (docs/protocol.md "Limits per address"): what one address may do,
// whichever of its connections does it. The Hub asks before it acts and charges after; the table
// of addresses is itself bounded (AddressLimitConfig::maxAddresses). Time is passed in.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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

// What one node charged one address under one limit, summed since its last report, for the other
// nodes sharing its Redis to charge too (docs/cluster.md, "Limits across nodes").
struct AddressCharge {
  std::string address;
  AddressLimit limit = AddressLimit::Rooms;
  double cost = 0;
};

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

  // ---- limits across nodes (docs/cluster.md, "Limits across nodes") --------------------------
  // From now on take() also notes what it charged, for takeCharges(). Off by default: a single
  // server would note what nobody drains.
  void recordCharges() { recording_ = true; }
  // What take() charged since the last call, summed per address and limit, for at most
  // `maxAddresses` addresses (the others wait for the next call). Addresses forgotten meanwhile
  // (sweep, the cap) take their charges with them: they had been paid back.
  std::vector<AddressCharge> takeCharges(std::size_t maxAddresses);
  // Another node's charge: taken from this address's bucket as take() does, and not noted again.
  // An address not known here gets an entry (it may come here next); none when the table is full,
  // then the charge is dropped (false). The debt it leaves is at most one burst, whatever a peer
  // claims: an address waits at most two bursts' refill, and a confused node cannot ban one.
  bool applyRemote(const AddressCharge& charge, double nowMs);

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
    // Charged here since the last takeCharges() (recordCharges()), by AddressLimit; `noted`: the
    // address is in noted_.
    std::array<double, kAddressLimitCount> unshared{};
    bool noted = false;
    RateLimiter& bucket(AddressLimit limit);
  };
  Entry& entry(const std::string& address, double nowMs);
  // Makes room for one more entry at the cap; false when every entry has a connection.
  bool evictOne();

  AddressLimitConfig config_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t evictedAtCap_ = 0;
  bool recording_ = false;
  // Addresses with charges to share, in the order first charged (an address forgotten and seen
  // again may be in it twice; takeCharges() skips what has nothing noted).
  std::vector<std::string> noted_;
};

}  // namespace huddle
