#!/usr/bin/env bash
# Prints what a browser downloads to open the huddle app, raw and gzipped (run after `npm run build`).
set -euo pipefail
cd "$(dirname "$0")/.."
dist=web/dist
[ -d "$dist" ] || { echo "build the app first: npm run build" >&2; exit 1; }
total_raw=0; total_gz=0
printf '%-48s %10s %10s\n' file bytes gzipped
while IFS= read -r f; do
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-48s %10d %10d\n' "${f#$dist/}" "$raw" "$gz"
done < <(find "$dist" -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.wasm' \) | sort)
printf '%-48s %10d %10d\n' TOTAL "$total_raw" "$total_gz"
