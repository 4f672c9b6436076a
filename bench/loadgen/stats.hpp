// What the generator counts, and the server figures it reads from /proc.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loadgen {

// Latency histogram with log-linear buckets, as HdrHistogram lays them out: exact below 128 ns,
// then 64 buckets per power of two (at most 1/64 = 1.6 % relative error). Fixed size, so recording
// never allocates; one per io thread, merged at the end.
class Histogram {
 public:
  void record(std::uint64_t ns);
  void merge(const Histogram& other);
  // The value at quantile q (0..1): the upper end of the bucket holding it, at most max().
  std::uint64_t quantile(double q) const;
  std::uint64_t max() const { return max_; }
  std::uint64_t count() const { return total_; }

 private:
  static constexpr int kSubBits = 6;
  static constexpr std::size_t kBuckets = (64 - kSubBits) * (1u << kSubBits) + (1u << kSubBits);
  static std::size_t index(std::uint64_t v);
  static std::uint64_t upperBound(std::size_t i);
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

// Error frames by code. Few distinct codes; linear search, no allocation after the first of each.
class ErrorCounts {
 public:
  void add(std::string_view code, std::uint64_t n = 1);
  void merge(const ErrorCounts& other);
  std::uint64_t total() const;
  const std::vector<std::pair<std::string, std::uint64_t>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::uint64_t>> items_;
};

// One io thread's counts. "Window" is the measured window [measureStart, end).
struct Counters {
  std::uint64_t sent = 0;             // relay frames written, whole run
  std::uint64_t delivered = 0;        // stamped frames received, whole run
  std::uint64_t expected = 0;         // deliveries the sent frames should make (sent x fanout)
  std::uint64_t refused = 0;          // error frames received during traffic (each refuses one relay frame)
  std::uint64_t refusedDeliveries = 0;  // deliveries those refused frames would have made
  std::uint64_t sentWindow = 0;       // sent with a send time in the window
  std::uint64_t deliveredWindow = 0;  // received at a time in the window (whatever the send time)
  std::uint64_t skipped = 0;          // paced sends dropped: the connection's unsent backlog was full
  std::uint64_t otherFrames = 0;      // frames that were neither deliveries nor errors
  std::uint64_t closedByServer = 0;   // connections the server closed before we did
  Histogram latency;                  // receive - send, for messages sent in the window
  // With several ports, the same by how many hops between nodes the delivery took: 0 when sender
  // and receiver are both on the room's node, 1 when one of them is elsewhere, 2 when both are
  // (the frame goes to the room's node and back).
  std::array<Histogram, 3> latencyByHops;
  ErrorCounts errors;
  void merge(const Counters& other);
};

// A process's CPU time and resident memory, from /proc/PID/stat and /proc/PID/status.
struct ProcSample {
  bool ok = false;
  double userS = 0;
  double systemS = 0;
  long rssKb = 0;
};
ProcSample readProc(int pid);
// Several processes as one: CPU and RSS added up; ok only if every one was read.
ProcSample sumSamples(const std::vector<ProcSample>& samples);

// This process's own CPU time (getrusage), for checking the generator is not the bottleneck.
struct OwnCpu {
  double userS = 0;
  double systemS = 0;
};
OwnCpu readOwnCpu();

}  // namespace loadgen
