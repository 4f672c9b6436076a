// Shared by the fuzz targets: a check that aborts with a message (so libFuzzer and the corpus
// test both report it as a crash), and the input as text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace huddle::fuzz {

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

[[noreturn]] inline void violated(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz invariant violated at %s:%d: %s\n", file, line, what);
  std::abort();
}

}  // namespace huddle::fuzz

// Invariants the targets assert: an abort is what both drivers catch.
#define HUDDLE_FUZZ_CHECK(cond) \
  do {                          \
    if (!(cond)) ::huddle::fuzz::violated(#cond, __FILE__, __LINE__); \
  } while (0)
