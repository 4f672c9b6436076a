// What a person sees, measured in the page: is the element on screen, where is focus, does
// anything overflow. Sizes are the two the app is checked at; screenshots go to build/screenshots.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../support/huddle_server.mjs';
import { expect } from './expect.mjs';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Where the composer, the newest chat line and focus are, against the viewport. */
export async function roomLayout(page) {
  return page.evaluate(() => {
    const rect = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
    };
    const log = document.querySelector('[data-testid="chat-log"]');
    const lines = log ? log.querySelectorAll('li.message, li.system') : [];
    return {
      viewport: { width: innerWidth, height: innerHeight },
      page: { width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight },
      composer: rect(document.querySelector('[data-testid="chat-input"]')),
      send: rect(document.querySelector('[data-testid="chat-send"]')),
      log: rect(log),
      newest: rect(lines[lines.length - 1]),
      lines: lines.length,
      focus: document.activeElement?.dataset?.testid ?? document.activeElement?.tagName ?? null,
    };
  });
}

const inside = (r, box) => r && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5;

/**
 * The room is usable as it is shown: the page is one screen (the chat scrolls inside it), nothing
 * overflows sideways, the message box and Send are on screen, and the newest line is in view.
 */
export async function expectRoomUsable(page, label) {
  // Measured once the chat has finished scrolling to its newest line (a restored history, say,
  // lands a frame or two before the scroll does), for at most 2 s; then every check below holds
  // for that layout, or it fails as before.
  let l = await roomLayout(page);
  for (let waited = 0; waited < 2000 && !(l.lines > 0 && inside(l.newest, l.log)); waited += 100) {
    await page.waitForTimeout(100);
    l = await roomLayout(page);
  }
  const screen = { top: 0, left: 0, bottom: l.viewport.height, right: l.viewport.width };
  expect.ok(l.page.height <= l.viewport.height + 1, `${label}: the page is ${l.page.height}px tall in a ${l.viewport.height}px window`);
  expect.ok(l.page.width <= l.viewport.width + 1, `${label}: the page is ${l.page.width}px wide in a ${l.viewport.width}px window`);
  expect.ok(inside(l.composer, screen), `${label}: the message box is on screen: ${JSON.stringify(l.composer)}`);
  expect.ok(inside(l.send, screen), `${label}: Send is on screen: ${JSON.stringify(l.send)}`);
  expect.ok(l.lines > 0 && inside(l.newest, l.log) && inside(l.newest, screen),
    `${label}: the newest line is in view: ${JSON.stringify({ newest: l.newest, log: l.log })}`);
  return l;
}

/** Switches the page (and its frames) to `scheme`, once the colours have finished easing. */
export async function useScheme(page, scheme) {
  await page.emulateMedia({ colorScheme: scheme });
  // styles.css eases colours over 150 ms: a check or a screenshot must see where they end.
  await page.waitForTimeout(300);
}

/** Saves a screenshot as DIR/NAME.png (default build/screenshots; to look at, docs/ has the curated ones). */
export async function snap(page, name, dir = path.join(repoRoot, 'build/screenshots')) {
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/**
 * WCAG contrast ratio of two computed colours ('rgb(r, g, b)' or 'rgba(r, g, b, a)'): `fg` may be
 * translucent (it is laid over `bg`), `bg` is taken as opaque.
 */
export function contrastRatio(fg, bg) {
  const parse = (css) => {
    const [r, g, b, a = 1] = css.match(/[\d.]+/g).map(Number);
    return { rgb: [r, g, b], a };
  };
  const back = parse(bg).rgb;
  const front = parse(fg);
  const over = front.rgb.map((c, i) => c * front.a + back[i] * (1 - front.a));
  const lum = (rgb) => {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(over), lum(back)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * Presses Tab until focus comes back to a stop already seen (at most `max` times) and returns each
 * stop's focus ring as computed: `{ what, style, width, color, behind }`, `behind` being the first
 * opaque background under the ring (the element's own for an inset ring, else its parent's).
 */
export async function focusRings(page, max = 40) {
  await page.evaluate(() => { window.__focusStops = new WeakSet(); });
  const rings = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null; // between the page and the browser's own UI
      if (window.__focusStops.has(el)) return 'again';
      window.__focusStops.add(el);
      const s = getComputedStyle(el);
      let behind = 'rgb(255, 255, 255)';
      for (let under = parseFloat(s.outlineOffset) < 0 ? el : el.parentElement; under; under = under.parentElement) {
        const bg = getComputedStyle(under).backgroundColor;
        if (!bg.startsWith('rgba')) {
          behind = bg;
          break;
        }
      }
      const what = el.dataset.testid ?? (el.id || `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`);
      return { what, style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, behind };
    });
    if (ring === 'again') break;
    if (ring) rings.push(ring);
  }
  return rings;
}

/** Every Tab stop shows a solid ring at least 2px wide, at 3:1 or more against what is behind it. */
export async function expectVisibleFocus(page, label) {
  const rings = await focusRings(page);
  expect.ok(rings.length > 0, `${label}: something takes focus`);
  const bad = rings.filter((r) => r.style !== 'solid' || r.width < 2 || contrastRatio(r.color, r.behind) < 3)
    .map((r) => `${r.what}: ${r.style} ${r.width}px ${r.color} on ${r.behind} (${contrastRatio(r.color, r.behind).toFixed(2)}:1)`);
  expect.deepEqual(bad, [], `${label}: focus rings that are hard to see`);
  return rings;
}
