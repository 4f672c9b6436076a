// Replays every fuzz target's corpus (seeds, hostile frames, crash reproducers) through the
// target's own entry point: an input that crashes, leaks or breaks an invariant aborts this test
// under ASan+UBSan, naming the file.
#include <cstdint>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#if defined(__has_include)
#if __has_include(<sanitizer/common_interface_defs.h>)
#include <sanitizer/common_interface_defs.h>
#define HUDDLE_HAVE_SANITIZER_CALLBACK 1
#endif
#endif

#define HUDDLE_FUZZ_TARGET(name) extern "C" int huddle_fuzz_##name(const std::uint8_t*, std::size_t);
#include "fuzz_targets.inc"
#undef HUDDLE_FUZZ_TARGET

namespace {

namespace fs = std::filesystem;
using Entry = int (*)(const std::uint8_t*, std::size_t);

struct Target {
  const char* name;
  Entry entry;
};

const std::vector<Target>& targets() {
#define HUDDLE_FUZZ_TARGET(name) {#name, &huddle_fuzz_##name},
  static const std::vector<Target> all = {
#include "fuzz_targets.inc"
  };
#undef HUDDLE_FUZZ_TARGET
  return all;
}

// The input being replayed, named when the process dies on it (an abort or a sanitizer report).
std::string current;
void nameCurrent() { std::fprintf(stderr, "\nfuzz corpus: died on %s\n", current.c_str()); }
void onAbort(int) {
  nameCurrent();
  std::signal(SIGABRT, SIG_DFL);
  std::raise(SIGABRT);
}

std::string readAll(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class FuzzCorpus : public ::testing::TestWithParam<Target> {
 protected:
  static void SetUpTestSuite() {
    std::signal(SIGABRT, onAbort);
#ifdef HUDDLE_HAVE_SANITIZER_CALLBACK
    __sanitizer_set_death_callback(nameCurrent);
#endif
  }
};

TEST_P(FuzzCorpus, EveryFileRunsThroughItsTarget) {
  const fs::path dir = fs::path(HUDDLE_FUZZ_CORPUS_DIR) / GetParam().name;
  ASSERT_TRUE(fs::is_directory(dir)) << dir << ": every target has a seed corpus";
  std::size_t files = 0;
  for (const auto& file : fs::directory_iterator(dir)) {
    if (!file.is_regular_file()) continue;
    current = file.path().string();
    const std::string bytes = readAll(file.path());
    EXPECT_EQ(GetParam().entry(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0) << current;
    ++files;
  }
  EXPECT_GE(files, 5u) << dir << ": a seed corpus holds real frames and hostile ones";
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzCorpus, ::testing::ValuesIn(targets()),
                         [](const auto& target) { return std::string(target.param.name); });

TEST(FuzzCorpusLayout, EveryCorpusDirectoryBelongsToATarget) {
  std::set<std::string> names;
  for (const Target& t : targets()) names.insert(t.name);
  for (const auto& dir : fs::directory_iterator(HUDDLE_FUZZ_CORPUS_DIR)) {
    EXPECT_EQ(names.count(dir.path().filename().string()), 1u) << dir.path() << " has no target in targets.cmake";
  }
}

TEST(FuzzCorpusLayout, EveryFuzzSourceIsATarget) {
  std::set<std::string> names;
  for (const Target& t : targets()) names.insert(t.name);
  const std::string suffix = "_fuzz.cpp";
  for (const auto& file : fs::directory_iterator(fs::path(HUDDLE_FUZZ_CORPUS_DIR).parent_path())) {
    const std::string name = file.path().filename().string();
    if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    EXPECT_EQ(names.count(name.substr(0, name.size() - suffix.size())), 1u) << name << " is missing from targets.cmake";
  }
}

}  // namespace
