#include "huddle/address_limits.hpp"

#include <algorithm>

namespace huddle {
namespace {

std::string whole(double v) { return std::to_string(static_cast<long long>(v)); }

}  // namespace

AddressLimits::Entry::Entry(const AddressLimitConfig& c)
    : rooms(c.roomsPerMinute / 60.0, c.roomBurst),
      failedJoins(c.failedJoinsPerMinute / 60.0, c.failedJoinBurst),
      relayBytes(c.relayBytesPerSecond, c.relayByteBurst),
      passwordChecks(c.passwordChecksPerSecond, c.passwordCheckBurst) {}

RateLimiter& AddressLimits::Entry::bucket(AddressLimit limit) {
  switch (limit) {
    case AddressLimit::Rooms: return rooms;
    case AddressLimit::FailedJoins: return failedJoins;
    case AddressLimit::PasswordChecks: return passwordChecks;
    case AddressLimit::RelayBytes: break;
  }
  return relayBytes;
}

AddressLimits::Entry& AddressLimits::entry(const std::string& address, double nowMs) {
  auto it = entries_.find(address);
  if (it == entries_.end()) it = entries_.emplace(address, Entry(config_)).first;
  it->second.lastSeenMs = nowMs;
  return it->second;
}

std::string AddressLimits::open(const std::string& address, double nowMs) {
  const bool known = entries_.contains(address);
  if (!known && entries_.size() >= config_.maxAddresses && !evictOne()) {
    // Every entry has a connection: newcomers share one entry rather than go uncounted.
    ++entry(limits::kOverflowAddress, nowMs).connections;
    return limits::kOverflowAddress;
  }
  ++entry(address, nowMs).connections;
  return address;
}

void AddressLimits::close(const std::string& address) {
  auto it = entries_.find(address);
  if (it != entries_.end() && it->second.connections > 0) --it->second.connections;
}

double AddressLimits::waitMs(const std::string& address, AddressLimit limit, double cost, double nowMs) {
  return entry(address, nowMs).bucket(limit).waitMs(nowMs, cost);
}

void AddressLimits::take(const std::string& address, AddressLimit limit, double cost, double nowMs) {
  Entry& e = entry(address, nowMs);
  RateLimiter& bucket = e.bucket(limit);
  bucket.available(nowMs);  // brings the bucket to now before taking
  bucket.take(cost);
  if (!recording_) return;
  e.unshared[static_cast<std::size_t>(limit)] += cost;
  if (!e.noted) {
    e.noted = true;
    noted_.push_back(address);
  }
}

std::vector<AddressCharge> AddressLimits::takeCharges(std::size_t maxAddresses) {
  std::vector<AddressCharge> charges;
  std::size_t used = 0;
  std::size_t addresses = 0;
  for (; used < noted_.size() && addresses < maxAddresses; ++used) {
    auto it = entries_.find(noted_[used]);
    if (it == entries_.end() || !it->second.noted) continue;
    Entry& e = it->second;
    for (std::size_t limit = 0; limit < kAddressLimitCount; ++limit) {
      if (e.unshared[limit] > 0) charges.push_back({it->first, static_cast<AddressLimit>(limit), e.unshared[limit]});
    }
    e.unshared = {};
    e.noted = false;
    ++addresses;
  }
  noted_.erase(noted_.begin(), noted_.begin() + static_cast<std::ptrdiff_t>(used));
  return charges;
}

bool AddressLimits::applyRemote(const AddressCharge& charge, double nowMs) {
  if (!(charge.cost > 0)) return false;  // also NaN
  auto it = entries_.find(charge.address);
  if (it == entries_.end()) {
    // Not at the cap's expense: a flood of other nodes' addresses must not push this node's own
    // debtors out.
    if (entries_.size() >= config_.maxAddresses) return false;
    it = entries_.emplace(charge.address, Entry(config_)).first;
  }
  it->second.lastSeenMs = std::max(it->second.lastSeenMs, nowMs);
  RateLimiter& bucket = it->second.bucket(charge.limit);
  const double cost = std::min(charge.cost, bucket.available(nowMs) + bucket.burst());
  if (cost > 0) bucket.take(cost);
  return true;
}

void AddressLimits::sweep(double nowMs) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    Entry& e = it->second;
    const bool owesNothing = e.rooms.available(nowMs) >= e.rooms.burst() &&
                             e.failedJoins.available(nowMs) >= e.failedJoins.burst() &&
                             e.relayBytes.available(nowMs) >= e.relayBytes.burst() &&
                             e.passwordChecks.available(nowMs) >= e.passwordChecks.burst();
    it = e.connections == 0 && owesNothing ? entries_.erase(it) : std::next(it);
  }
}

bool AddressLimits::evictOne() {
  // A scan, at the cap only: the cap is reached by someone with many addresses, and each entry
  // forgotten here costs them a new address to reuse.
  auto oldest = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->second.connections > 0) continue;
    if (oldest == entries_.end() || it->second.lastSeenMs < oldest->second.lastSeenMs) oldest = it;
  }
  if (oldest == entries_.end()) return false;
  entries_.erase(oldest);
  ++evictedAtCap_;
  return true;
}

std::string AddressLimits::describe(AddressLimit limit) const {
  switch (limit) {
    case AddressLimit::Rooms:
      return "more than " + whole(config_.roomsPerMinute) + " rooms created per minute from one address (bursts of " +
             whole(config_.roomBurst) + ")";
    case AddressLimit::FailedJoins:
      return "more than " + whole(config_.failedJoinsPerMinute) +
             " failed joins (no such room, wrong password) per minute from one address (bursts of " +
             whole(config_.failedJoinBurst) + ")";
    case AddressLimit::PasswordChecks:
      return "more than " + whole(config_.passwordChecksPerSecond) +
             " room passwords checked per second from one address (bursts of " + whole(config_.passwordCheckBurst) + ")";
    case AddressLimit::RelayBytes: break;
  }
  return "more than " + whole(config_.relayBytesPerSecond) +
         " relayed bytes per second from one address, counting every recipient (bursts of " +
         whole(config_.relayByteBurst) + ")";
}

}  // namespace huddle
