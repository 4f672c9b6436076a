#include "wire/server_frames.hpp"

#include <charconv>

namespace huddle::wire {
namespace {

constexpr std::size_t kMaxDigits = 20;  // of a uint64

std::string_view digits(std::uint64_t n, char (&buffer)[kMaxDigits]) {
  auto end = std::to_chars(buffer, buffer + kMaxDigits, n).ptr;
  return {buffer, static_cast<std::size_t>(end - buffer)};
}

}  // namespace

SharedFrame relayFrame(std::string_view from, std::uint64_t seq, bool broadcast, std::string_view data) {
  constexpr std::string_view kHead = R"({"t":"relay","from":")";
  constexpr std::string_view kSeq = R"(","seq":)";
  constexpr std::string_view kBroadcast = R"(,"broadcast":true,"data":)";
  constexpr std::string_view kDirected = R"(,"broadcast":false,"data":)";
  char buffer[kMaxDigits];
  std::string_view number = digits(seq, buffer);
  std::string_view flag = broadcast ? kBroadcast : kDirected;
  FrameWriter out(kHead.size() + from.size() + kSeq.size() + number.size() + flag.size() + data.size() + 1);
  out.append(kHead).append(from).append(kSeq).append(number).append(flag).append(data).append("}");
  return std::move(out).done();
}

SharedFrame signalFrame(std::string_view from, std::string_view data) {
  constexpr std::string_view kHead = R"({"t":"signal","from":")";
  constexpr std::string_view kData = R"(","data":)";
  FrameWriter out(kHead.size() + from.size() + kData.size() + data.size() + 1);
  out.append(kHead).append(from).append(kData).append(data).append("}");
  return std::move(out).done();
}

SharedFrame pongFrame(std::uint64_t id) {
  constexpr std::string_view kHead = R"({"t":"pong","id":)";
  char buffer[kMaxDigits];
  std::string_view number = digits(id, buffer);
  FrameWriter out(kHead.size() + number.size() + 1);
  out.append(kHead).append(number).append("}");
  return std::move(out).done();
}

}  // namespace huddle::wire
