#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS_TOTAL]: builds every decoder's libFuzzer target (tests/fuzz) with
# clang++-14 under -fsanitize=fuzzer,address,undefined into build/fuzz, then runs each for its share
# of SECONDS_TOTAL (default 60), starting from its seed corpus in tests/fuzz/corpus/<name>/.
# Exits non-zero on the first crash, leak, timeout or broken invariant; the input that did it is
# left in build/fuzz/artifacts/<name>/. To keep it: copy it into tests/fuzz/corpus/<name>/ (the
# corpus test then replays it on every test run), fix the bug, add a regression test.
# Inputs the fuzzer finds interesting go to build/fuzz/found/<name>/, not into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
total="${1:-60}"
JOBS="${HUDDLE_JOBS:-2}"
# Each phase is stamped with the clock, so a log shows where the time went.
phase() { echo "$1 [$(date +%T)]"; }

# clang and libFuzzer's runtime (npm test has installed them already).
bash scripts/apt_install.sh clang-14 libclang-rt-14-dev

phase "fuzz: build (build/fuzz)"
cmake -S tests/fuzz -B build/fuzz -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
cmake --build build/fuzz -j"$JOBS"

targets=()
for source in tests/fuzz/*_fuzz.cpp; do
  name="$(basename "$source" _fuzz.cpp)"
  targets+=("$name")
done
share=$((total / ${#targets[@]}))
((share >= 1)) || share=1

for name in "${targets[@]}"; do
  phase "fuzz: $name (${share} s)"
  found="build/fuzz/found/$name"
  artifacts="build/fuzz/artifacts/$name"
  mkdir -p "$found" "$artifacts"
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a memory blow-up is a failure too.
  if ! "build/fuzz/${name}_fuzz" -max_total_time="$share" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$artifacts/" -print_final_stats=1 "$found" "tests/fuzz/corpus/$name" \
      >"build/fuzz/$name.log" 2>&1; then
    tail -n 60 "build/fuzz/$name.log"
    echo "fuzz: $name FAILED; the input is in $artifacts/ (full log: build/fuzz/$name.log)"
    exit 1
  fi
  grep -E '^stat::number_of_executed_units' "build/fuzz/$name.log" | sed "s/^/fuzz: $name /" || true
done
phase "fuzz: ${#targets[@]} targets, no crash"
