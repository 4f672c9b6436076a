#include "wire/server_frames.hpp"

#include <charconv>

namespace huddle::wire {
namespace {

void appendNumber(std::string& out, std::uint64_t n) {
  char digits[20];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

}  // namespace

std::string relayFrame(std::string_view from, std::uint64_t seq, bool broadcast, std::string_view data) {
  constexpr std::string_view kHead = R"({"t":"relay","from":")";
  constexpr std::string_view kSeq = R"(","seq":)";
  constexpr std::string_view kBroadcast = R"(,"broadcast":true,"data":)";
  constexpr std::string_view kDirected = R"(,"broadcast":false,"data":)";
  std::string out;
  out.reserve(kHead.size() + from.size() + kSeq.size() + 20 + kDirected.size() + data.size() + 1);
  out.append(kHead).append(from).append(kSeq);
  appendNumber(out, seq);
  out.append(broadcast ? kBroadcast : kDirected).append(data).push_back('}');
  return out;
}

std::string signalFrame(std::string_view from, std::string_view data) {
  constexpr std::string_view kHead = R"({"t":"signal","from":")";
  constexpr std::string_view kData = R"(","data":)";
  std::string out;
  out.reserve(kHead.size() + from.size() + kData.size() + data.size() + 1);
  out.append(kHead).append(from).append(kData).append(data).push_back('}');
  return out;
}

std::string pongFrame(std::uint64_t id) {
  std::string out = R"({"t":"pong","id":)";
  appendNumber(out, id);
  out.push_back('}');
  return out;
}

}  // namespace huddle::wire
