#!/usr/bin/env bash
# Builds everything the app needs: huddle-server and huddle-codegen (native), the Wasm client, and
# the web app. Incremental: rerunning only rebuilds what changed.
# HUDDLE_NATIVE_TREE picks the native build: `native` (the default, optimized: npm start serves
# it, with the benchmarks) or `asan` (npm test: one sanitizer build of everything native, the C++
# tests and the benchmarks included, so nothing native is compiled twice).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${HUDDLE_JOBS:-$(nproc)}"
# Each phase is stamped with the clock, so a log shows where the time went.
phase() { echo "$1 [$(date +%T)]"; }

tree="${HUDDLE_NATIVE_TREE:-native}"
case "$tree" in
  native) targets=(--target huddle-server huddle-codegen huddle_core_bench huddle_client_rounds) ;;
  asan) targets=() ;; # everything: the tests too
  *) echo "HUDDLE_NATIVE_TREE must be native or asan, not '$tree'" >&2; exit 2 ;;
esac
what="huddle-server, huddle-codegen, benchmarks"
[ "$tree" = asan ] && what+=", C++ tests"
phase "build: native in build/$tree ($what)"
[ -f "build/$tree/CMakeCache.txt" ] || cmake --preset "$tree" >/dev/null
cmake --build "build/$tree" -j"$JOBS" "${targets[@]}"

phase "build: generated TypeScript (web/src/generated/core.ts, from the C++ core)"
mkdir -p web/src/generated
build/$tree/cpp/codegen/huddle-codegen ts web/src/generated/core.ts

phase "build: wasm client"
# Emscripten 3.1.6 from Debian resolves its JS tools (acorn) through NODE_PATH.
export NODE_PATH=/usr/share/nodejs
[ -f build/wasm/CMakeCache.txt ] || emcmake cmake --preset wasm >/dev/null
cmake --build build/wasm -j"$JOBS"
# The client, and the room state and game sync: modules of their own, loaded by a page when it
# first uses each.
for f in huddle_client.js huddle_client.wasm huddle_state.js huddle_state.wasm huddle_game.js huddle_game.wasm; do
  cmp -s "build/wasm/cpp/wasm/$f" "web/src/generated/$f" || cp "build/wasm/cpp/wasm/$f" web/src/generated/
done
for f in cpp/wasm/huddle_client.d.ts cpp/wasm/state/huddle_state.d.ts cpp/wasm/game/huddle_game.d.ts; do
  cmp -s "$f" "web/src/generated/$(basename "$f")" || cp "$f" web/src/generated/
done

phase "build: library types (build/types)"
node_modules/.bin/tsc -p web/tsconfig.lib.json
mkdir -p build/types/generated && cp cpp/wasm/huddle_client.d.ts cpp/wasm/state/huddle_state.d.ts cpp/wasm/game/huddle_game.d.ts build/types/generated/

phase "build: web app"
node_modules/.bin/vite build --config web/vite.config.ts --logLevel warn

phase "build: embed scripts (web/dist/huddle.js, web/dist/p2p.js)"
# After the app build, which empties web/dist; these two only add files.
node_modules/.bin/vite build --config web/vite.embed.config.ts --logLevel warn
node_modules/.bin/vite build --config web/vite.p2p.config.ts --logLevel warn

phase "build: precompressed copies (.gz, .br) of web/dist and experiences/"
# After every vite build: huddle-server sends a copy to clients that accept it, and ignores one
# older than its file, so an experience edited by hand is served as is until the next build.
node scripts/precompress.mjs web/dist experiences
