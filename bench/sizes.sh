#!/usr/bin/env bash
# Prints what a browser downloads (run after `npm run build`) for the three ways people meet
# huddle: the app page, an embedding page (huddle.js + the Wasm), and an experience iframe
# (p2p.js, then the experience's own files: Draw's here). Columns are the bytes huddle-server
# sends: the file as is, and to a browser that accepts gzip or brotli, the precompressed copy
# the build wrote next to it (scripts/precompress.mjs), or the file itself where there is none.
# Pages the server rewrites on the way (the app's index.html, an experience's HTML) are sent
# uncompressed, a little bigger than the file: marked *.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=web/dist
[ -d "$dist" ] || { echo "build the app first: npm run build" >&2; exit 1; }

# Size of the copy with suffix $2 next to $1, or of $1 itself where there is none.
served() { if [ -f "$1$2" ]; then stat -c %s "$1$2"; else stat -c %s "$1"; fi; }

# Prints one table: the files given, then their total.
table() {
  local title=$1; shift
  local total_raw=0 total_gz=0 total_br=0 f raw gz br name
  printf '\n%s\n%-48s %10s %10s %10s\n' "$title" file bytes gzip brotli
  for f in "$@"; do
    raw=$(stat -c %s "$f"); name=${f#$dist/}
    if [[ "$f" == */index.html ]]; then gz=$raw; br=$raw; name+=" *"
    else gz=$(served "$f" .gz); br=$(served "$f" .br); fi
    total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
    printf '%-48s %10d %10d %10d\n' "$name" "$raw" "$gz" "$br"
  done
  printf '%-48s %10d %10d %10d\n' TOTAL "$total_raw" "$total_gz" "$total_br"
}

mapfile -t app < <(find "$dist" -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.wasm' \) \
  ! -name huddle.js ! -name p2p.js | sort)
mapfile -t wasm < <(find "$dist/assets" -type f -name '*.wasm')
mapfile -t draw < <(find experiences/draw -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' \) | sort)
table "the app page" "${app[@]}"
table "an embedding page (<p2p-frame>)" "$dist/huddle.js" "${wasm[@]}"
table "an experience iframe (P2P global), Draw" "$dist/p2p.js" "${draw[@]}"
if ! compgen -G "$dist/assets/*.br" >/dev/null; then
  echo; echo "no precompressed copies in $dist: the gzip and brotli columns are the raw sizes (rebuild)"
fi
