// The app's colours, read from styles.css, in light and dark: text reads at 4.5:1 (WCAG 1.4.3) on
// every surface it is drawn on, and focus rings stand out at 3:1 (WCAG 1.4.11). The end-to-end
// axe run sees only the states it reaches; this covers every pair, such as a relayed or failed
// link, an error, or the muted time on your own message's tint.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/huddle_server.mjs';

const css = readFileSync(path.join(repoRoot, 'web/src/app/styles.css'), 'utf8');

/** The custom properties set in the first `:root { … }` block at or after `from`. */
function palette(from: number): Record<string, string> {
  const start = css.indexOf(':root {', from);
  const block = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1], m[2].toLowerCase()]));
}

const light = palette(0);
const dark = { ...light, ...palette(css.indexOf('@media (prefers-color-scheme: dark)')) };

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const SURFACES = ['bg', 'surface', 'surface-2'];
/** [foreground, backgrounds it is drawn on, the least contrast allowed]. */
const PAIRS: [string, string[], number][] = [
  ['text', [...SURFACES, 'mine'], 4.5],
  ['muted', [...SURFACES, 'mine'], 4.5], // hints, times (on your own messages' tint too)
  ['accent', ['bg', 'surface', 'accent-soft'], 4.5], // the name, badges, initials
  ['accent-text', ['accent'], 4.5], // primary buttons
  ['ok', ['surface', 'surface-2', 'mine'], 4.5], // a direct link, "✓ delivered"
  ['warn', ['surface'], 4.5], // connecting
  ['relay', ['surface'], 4.5], // through the server, the relay-only note
  ['bad', ['surface', 'surface-2', 'bad-soft'], 4.5], // a failed link, Leave, errors
  ['accent', SURFACES, 3], // focus rings
];

describe('the palette in styles.css', () => {
  it('has every colour the pairs name, in both themes', () => {
    for (const name of new Set(PAIRS.flatMap(([fg, bgs]) => [fg, ...bgs]))) {
      expect(light[name], `--${name} (light)`).toMatch(/^#/);
      expect(dark[name], `--${name} (dark)`).toMatch(/^#/);
    }
    expect(dark.surface).not.toBe(light.surface); // the dark block was found
  });

  for (const [theme, colours] of [['light', light], ['dark', dark]] as const) {
    it(`reads in ${theme}: text at 4.5:1 on what it is drawn on, focus rings at 3:1`, () => {
      const short = PAIRS.flatMap(([fg, bgs, min]) => bgs
        .map((bg) => ({ pair: `--${fg} on --${bg}`, ratio: Math.round(contrast(colours[fg], colours[bg]) * 100) / 100, min }))
        .filter((p) => p.ratio < p.min));
      expect(short).toEqual([]);
    });
  }
});
