'use strict';
// Light and dark boards. Strokes travel and are stored in their light-board colours (the board is
// white, the eraser paints white, the first pen is near-black), and each member paints them in
// its own theme's colours, so one drawing means the same thing on every screen:
// - the paper (#ffffff, also what the eraser lays down) becomes the dark board's colour, so an
//   erased line vanishes on a dark board as it does on a light one;
// - a colour that would be hard to see on the dark board (under 3:1 contrast, WCAG's bar for
//   graphics) keeps its hue and saturation and has its lightness mirrored: black ink becomes
//   near-white, navy becomes light blue. Dark ink on white and light ink on near-black are the
//   same "ink on paper", and a black stroke drawn in light mode stays visible in dark mode;
// - every other colour (the palette's red, orange, …, any bright colour) is painted as sent: it
//   reads on both boards, and a red stroke stays the same red for everyone.
// Mirroring only ever maps dark colours to light ones, so no stroke can turn into the board.

const DARK_BOARD = '#1b1e27';
const LIGHT_BOARD = '#ffffff';

const DrawTheme = (() => {
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  const listeners = [];
  const cache = new Map();

  const channels = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const toHex = (rgb) => `#${rgb.map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('')}`;

  // WCAG relative luminance of an sRGB colour.
  function luminance(rgb) {
    const [r, g, b] = rgb.map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  function contrast(a, b) {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  }

  // HSL lightness mirrored (L → 1 − L), hue and saturation kept.
  function mirrorLightness([r, g, b]) {
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    const l = (max + min) / 2;
    const d = max - min;
    if (d === 0) return [1 - l, 1 - l, 1 - l];
    const s = d / (1 - Math.abs(2 * l - 1));
    let h;
    if (max === r) h = ((g - b) / d + 6) % 6;
    else if (max === g) h = (b - r) / d + 2;
    else h = (r - g) / d + 4;
    const l2 = 1 - l;
    const c = (1 - Math.abs(2 * l2 - 1)) * s;
    const x = c * (1 - Math.abs((h % 2) - 1));
    const m = l2 - c / 2;
    const [r1, g1, b1] = [[c, x, 0], [x, c, 0], [0, c, x], [0, x, c], [x, 0, c], [c, 0, x]][Math.floor(h) % 6];
    return [r1 + m, g1 + m, b1 + m];
  }

  /** The colour a stroke sent as `color` (#rrggbb, light-board colours) is painted in on a dark board. */
  function onDarkBoard(color) {
    if (color === LIGHT_BOARD) return DARK_BOARD;
    let mapped = cache.get(color);
    if (mapped === undefined) {
      const rgb = channels(color);
      mapped = contrast(rgb, channels(DARK_BOARD)) >= 3 ? color : toHex(mirrorLightness(rgb));
      cache.set(color, mapped);
    }
    return mapped;
  }

  if (query) {
    const changed = () => listeners.forEach((fn) => fn());
    if (typeof query.addEventListener === 'function') query.addEventListener('change', changed);
  }

  return {
    isDark: () => Boolean(query && query.matches),
    /** The board's colour in the current theme. */
    board: () => (query && query.matches ? DARK_BOARD : LIGHT_BOARD),
    /** What `color` (as sent) is painted as in the current theme. */
    paint: (color) => (query && query.matches ? onDarkBoard(color) : color),
    onDarkBoard,
    contrast: (a, b) => contrast(channels(a), channels(b)),
    /** Calls `fn` whenever the person's system switches between light and dark. */
    onChange: (fn) => listeners.push(fn),
  };
})();
