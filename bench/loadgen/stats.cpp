#include "stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <fstream>
#include <sstream>

namespace loadgen {

std::size_t Histogram::index(std::uint64_t v) {
  constexpr std::uint64_t kSub = 1u << kSubBits;
  if (v < 2 * kSub) return static_cast<std::size_t>(v);
  const int exponent = 63 - std::countl_zero(v);  // >= kSubBits + 1
  const int shift = exponent - kSubBits;          // v >> shift is in [kSub, 2 kSub)
  return static_cast<std::size_t>(shift) * kSub + static_cast<std::size_t>(v >> shift);
}

std::uint64_t Histogram::upperBound(std::size_t i) {
  constexpr std::size_t kSub = 1u << kSubBits;
  if (i < 2 * kSub) return i;
  const std::size_t shift = i / kSub - 1;
  const std::uint64_t mantissa = i % kSub + kSub;
  return ((mantissa + 1) << shift) - 1;
}

void Histogram::record(std::uint64_t ns) {
  ++counts_[std::min(index(ns), kBuckets - 1)];
  ++total_;
  max_ = std::max(max_, ns);
}

void Histogram::merge(const Histogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  max_ = std::max(max_, other.max_);
}

std::uint64_t Histogram::quantile(double q) const {
  if (total_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total_ - 1)) + 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(upperBound(i), max_);
  }
  return max_;
}

void ErrorCounts::add(std::string_view code, std::uint64_t n) {
  for (auto& [name, count] : items_) {
    if (name == code) {
      count += n;
      return;
    }
  }
  items_.emplace_back(std::string(code.substr(0, 64)), n);
}

void ErrorCounts::merge(const ErrorCounts& other) {
  for (const auto& [name, count] : other.items_) add(name, count);
}

std::uint64_t ErrorCounts::total() const {
  std::uint64_t n = 0;
  for (const auto& item : items_) n += item.second;
  return n;
}

void Counters::merge(const Counters& o) {
  sent += o.sent;
  delivered += o.delivered;
  expected += o.expected;
  refused += o.refused;
  refusedDeliveries += o.refusedDeliveries;
  sentWindow += o.sentWindow;
  deliveredWindow += o.deliveredWindow;
  skipped += o.skipped;
  otherFrames += o.otherFrames;
  closedByServer += o.closedByServer;
  latency.merge(o.latency);
  for (std::size_t h = 0; h < latencyByHops.size(); ++h) latencyByHops[h].merge(o.latencyByHops[h]);
  errors.merge(o.errors);
}

ProcSample readProc(int pid) {
  ProcSample s;
  const std::string dir = "/proc/" + std::to_string(pid);
  std::ifstream stat(dir + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return s;
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return s;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // After ')': field 3 is state; utime and stime are fields 14 and 15 (proc(5)).
  for (int n = 3; n <= 15 && (rest >> field); ++n) {
    if (n == 14) utime = std::stoull(field);
    if (n == 15) stime = std::stoull(field);
  }
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  s.userS = static_cast<double>(utime) / tick;
  s.systemS = static_cast<double>(stime) / tick;
  std::ifstream status(dir + "/status");
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      s.rssKb = std::stol(line.substr(6));
      break;
    }
  }
  s.ok = true;
  return s;
}

ProcSample sumSamples(const std::vector<ProcSample>& samples) {
  ProcSample sum;
  sum.ok = !samples.empty();
  for (const ProcSample& s : samples) {
    sum.ok = sum.ok && s.ok;
    sum.userS += s.userS;
    sum.systemS += s.systemS;
    sum.rssKb += s.rssKb;
  }
  return sum;
}

OwnCpu readOwnCpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return {seconds(u.ru_utime), seconds(u.ru_stime)};
}

}  // namespace loadgen
