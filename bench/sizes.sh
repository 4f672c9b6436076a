#!/usr/bin/env bash
# Prints what a browser downloads, raw and gzipped (run after `npm run build`), for the three ways
# people meet huddle: the app page, an embedding page (huddle.js + the Wasm), and an experience
# iframe (p2p.js only).
set -euo pipefail
cd "$(dirname "$0")/.."
dist=web/dist
[ -d "$dist" ] || { echo "build the app first: npm run build" >&2; exit 1; }

# Prints one table: the files given, then their total.
table() {
  local title=$1; shift
  local total_raw=0 total_gz=0 f raw gz
  printf '\n%s\n%-48s %10s %10s\n' "$title" file bytes gzipped
  for f in "$@"; do
    raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
    total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
    printf '%-48s %10d %10d\n' "${f#$dist/}" "$raw" "$gz"
  done
  printf '%-48s %10d %10d\n' TOTAL "$total_raw" "$total_gz"
}

mapfile -t app < <(find "$dist" -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.wasm' \) \
  ! -name huddle.js ! -name p2p.js | sort)
mapfile -t wasm < <(find "$dist/assets" -type f -name '*.wasm')
table "the app page" "${app[@]}"
table "an embedding page (<p2p-frame>)" "$dist/huddle.js" "${wasm[@]}"
table "an experience iframe (P2P global)" "$dist/p2p.js"
