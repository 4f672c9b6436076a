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
  const l = await roomLayout(page);
  const screen = { top: 0, left: 0, bottom: l.viewport.height, right: l.viewport.width };
  expect.ok(l.page.height <= l.viewport.height + 1, `${label}: the page is ${l.page.height}px tall in a ${l.viewport.height}px window`);
  expect.ok(l.page.width <= l.viewport.width + 1, `${label}: the page is ${l.page.width}px wide in a ${l.viewport.width}px window`);
  expect.ok(inside(l.composer, screen), `${label}: the message box is on screen: ${JSON.stringify(l.composer)}`);
  expect.ok(inside(l.send, screen), `${label}: Send is on screen: ${JSON.stringify(l.send)}`);
  expect.ok(l.lines > 0 && inside(l.newest, l.log) && inside(l.newest, screen),
    `${label}: the newest line is in view: ${JSON.stringify({ newest: l.newest, log: l.log })}`);
  return l;
}

/** Saves a screenshot as build/screenshots/NAME.png (to look at; docs/ has the curated ones). */
export async function snap(page, name) {
  // Colours ease over 150 ms (styles.css transitions): a theme switched just now is still mid-way.
  await page.waitForTimeout(300);
  const dir = path.join(repoRoot, 'build/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}
