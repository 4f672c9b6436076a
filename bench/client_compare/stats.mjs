// Small helpers for bench/client_compare: quantiles, medians and aligned text tables.

/** The q-quantile of `xs` (nearest rank, no interpolation); NaN for an empty list. */
export function quantile(xs, q) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** The median of `xs`: the middle value, or the mean of the two middle ones. NaN when empty. */
export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `x` with `digits` decimals, or '—' when it is not a finite number. */
export const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/** KB as these figures use them: 1024 bytes, one decimal. */
export const kb = (bytes) => fmt(bytes / 1024, 1);

/**
 * Prints `rows` (arrays of cells) under `header` with every column padded to its widest cell:
 * the columns in `left` (default the first) left-aligned, the others right-aligned.
 */
export function printTable(header, rows, { left = [0] } = {}) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  for (const r of all) {
    console.log(r.map((c, i) => (left.includes(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd());
  }
}
