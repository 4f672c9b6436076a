#!/usr/bin/env bash
# Prints what a browser downloads (run after `npm run build`) for the three ways people meet
# huddle: the app page (its lobby, then what it loads when needed: the room part once a join
# starts, the QR dialog), an embedding page (huddle.js + the Wasm), and an experience iframe
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

# The chunks that the files given load, directly or through each other, when they are needed:
# every other assets/*.js or *.css whose name one of them mentions (Vite's import() of a chunk
# names the chunk and its styles).
later_chunks() {
  local -a frontier=("$@") found=() next
  local f name
  while [ ${#frontier[@]} -gt 0 ]; do
    next=()
    for f in "$dist"/assets/*.js "$dist"/assets/*.css; do
      name=$(basename "$f")
      [[ " ${found[*]} $* " == *" $f "* ]] && continue
      if grep -qF "$name" "${frontier[@]}"; then found+=("$f"); next+=("$f"); fi
    done
    # A Wasm module a chunk names (the room state's or game sync's, which its loader chunk fetches).
    for f in "$dist"/assets/*.wasm; do
      name=$(basename "$f")
      [[ " ${found[*]} " == *" $f "* ]] && continue
      if [ ${#next[@]} -gt 0 ] && grep -qF "$name" "${next[@]}"; then found+=("$f"); fi
    done
    frontier=("${next[@]}")
  done
  [ ${#found[@]} -eq 0 ] || printf '%s\n' "${found[@]}" | sort
}

# The client module every page loads at once (the room state's and game sync's come later, when first used).
mapfile -t wasm < <(find "$dist/assets" -type f -name 'huddle_client-*.wasm')
mapfile -t draw < <(find experiences/draw -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' \) | sort)
# The app page: index.html, what it names (the entry script, the styles) and the Wasm it preloads.
mapfile -t app < <(grep -oE '(src|href)="/assets/[^"]+"' "$dist/index.html" | sed -E 's|.*"/(assets/[^"]+)"|'"$dist"'/\1|' | sort -u)
mapfile -t app_later < <(later_chunks "${app[@]}")
mapfile -t embed_later < <(later_chunks "$dist/huddle.js")
table "the app page (the lobby)" "${app[@]}" "$dist/index.html" "${wasm[@]}"
if [ ${#app_later[@]} -gt 0 ]; then
  table "what the app loads when it is needed (the room part once a join starts, the QR dialog, the file code at the first file, the room state and game sync each at its first use)" "${app_later[@]}"
fi
table "an embedding page (<p2p-frame>)" "$dist/huddle.js" "${wasm[@]}"
if [ ${#embed_later[@]} -gt 0 ]; then table "what huddle.js loads when it is needed (the file code at the first file, the room state and game sync each at its first use)" "${embed_later[@]}"; fi
table "an experience iframe (P2P global), Draw" "$dist/p2p.js" "${draw[@]}"
if ! compgen -G "$dist/assets/*.br" >/dev/null; then
  echo; echo "no precompressed copies in $dist: the gzip and brotli columns are the raw sizes (rebuild)"
fi
