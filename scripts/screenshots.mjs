#!/usr/bin/env node
// Screenshots of huddle for the README, in docs/screenshots/: the lobby, a room of three with a
// short conversation (desktop and phone, light and dark) and the room with Draw open and a drawing
// in it. Run after a build (`npm run build`): `node scripts/screenshots.mjs`. It starts its own
// huddle-server (the built app and the shipped experiences) and headless Chromium, and uses fixed
// names and texts, so a second run differs only in the room code, the clock and round-trip times.
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, newPage } from '../tests/e2e/helpers/browser.mjs';
import { repoRoot, startServer } from '../tests/support/huddle_server.mjs';
import { createRoom, joinByLink, openLobby, sendShown, waitForMesh } from '../tests/e2e/helpers/app.mjs';
import { DESKTOP, PHONE } from '../tests/e2e/helpers/ui.mjs';

const OUT = path.join(repoRoot, 'docs/screenshots');

const CONVERSATION = [
  ['Maya', 'Hi both! Shall we plan Saturday’s hike here?'],
  ['Jonas', 'Yes! I can drive, the car fits four.'],
  ['Priya', 'Great. I’ll sketch the route in Draw in a minute.'],
  ['Maya', 'Start at the lake, lunch at the hut, back by five?'],
  ['Jonas', 'Works for me. Pick-up at 8 at the station?'],
  ['Priya', '8 it is. Bringing snacks.'],
];

/** Points on an ellipse round (cx, cy), normalized board coordinates. */
const ellipse = (cx, cy, rx, ry, steps = 40) =>
  Array.from({ length: steps + 1 }, (_, i) => [cx + rx * Math.cos((2 * Math.PI * i) / steps), cy + ry * Math.sin((2 * Math.PI * i) / steps)]);

/** The route sketch: [points, colour, width as a fraction of the board's width]. */
const DRAWING = [
  [ellipse(0.2, 0.72, 0.12, 0.09), '#3b82f6', 0.01], // the lake
  [[[0.42, 0.6], [0.56, 0.28], [0.66, 0.45], [0.78, 0.18], [0.95, 0.6]], '#1f2937', 0.01], // mountains
  [[[0.6, 0.78], [0.6, 0.68], [0.66, 0.62], [0.72, 0.68], [0.72, 0.78], [0.6, 0.78]], '#f97316', 0.01], // the hut
  [Array.from({ length: 30 }, (_, i) => [0.32 + i * 0.0095, 0.72 + 0.03 * Math.sin(i / 2.5)]), '#ef4444', 0.004], // lake to hut
  [[[0.72, 0.7], [0.76, 0.5], [0.78, 0.3], [0.78, 0.2]], '#ef4444', 0.004], // hut to the top
  [ellipse(0.13, 0.17, 0.04, 0.053, 24), '#eab308', 0.01], // the sun…
  // …and its rays (the board is 4:3: a y step is 4/3 of an x step)
  ...Array.from({ length: 8 }, (_, i) => {
    const [dx, dy] = [Math.cos((i * Math.PI) / 4), Math.sin((i * Math.PI) / 4) * (4 / 3)];
    return [[[0.13 + 0.055 * dx, 0.17 + 0.055 * dy], [0.13 + 0.08 * dx, 0.17 + 0.08 * dy]], '#eab308', 0.01];
  }),
];

async function shot(page, name) {
  // Colours ease over 150 ms after a theme switch; no caret or focus ring in a picture.
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await page.waitForTimeout(400);
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`${path.relative(repoRoot, file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
}

async function scheme(pages, colorScheme) {
  for (const page of pages) await page.emulateMedia({ colorScheme });
}

/** The draw iframe of `page`, once it is connected and sees `others` other members. */
async function drawFrame(page, others) {
  const handle = await page.locator('[data-testid="experience-frame"][data-name="draw"]').elementHandle({ timeout: 10000 });
  const frame = await handle.contentFrame();
  await frame.waitForFunction((n) => window.huddleDraw && window.P2P?.isConnected() && P2P.getPeers().length === n, others, { timeout: 20000 });
  return frame;
}

const server = await startServer(['--experiences-dir', path.join(repoRoot, 'experiences')]);
const browser = await launchBrowser();
try {
  fs.mkdirSync(OUT, { recursive: true });
  const opts = { deviceScaleFactor: 1, colorScheme: 'light' };
  const people = {
    Maya: await newPage(browser, 'Maya', { ...opts, viewport: DESKTOP }),
    Jonas: await newPage(browser, 'Jonas', { ...opts, viewport: PHONE, isMobile: true, hasTouch: true }),
    Priya: await newPage(browser, 'Priya', { ...opts, viewport: DESKTOP }),
  };
  const { Maya, Jonas, Priya } = people;
  const all = Object.values(people);

  await openLobby(Maya, server.origin, 'Maya');
  await shot(Maya, 'lobby');

  const { link } = await createRoom(Maya);
  await joinByLink(Jonas, link, 'Jonas');
  await waitForMesh(Maya, 2);
  await joinByLink(Priya, link, 'Priya');
  await Promise.all(all.map((page) => waitForMesh(page, 3)));
  for (const [who, text] of CONVERSATION) {
    await sendShown(people[who], text);
    // Everyone has it before the next line, so every page shows the same order.
    await Promise.all(all.map((page) => page.waitForFunction((t) => [...document.querySelectorAll('[data-testid="chat-text"]')]
      .some((el) => el.textContent === t), text)));
  }
  // Every receipt final ("✓ delivered to 2/2") on the pages in the pictures.
  for (const page of [Maya, Jonas]) {
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="chat-message"][data-mine="true"]')]
      .every((el) => el.dataset.deliveredCount === '2'));
  }
  // Round-trip times are measured about once a second: wait for them on Maya's member list.
  await Maya.waitForFunction(() => document.querySelectorAll('[data-testid="peer-rtt"]').length === 2, null, { timeout: 10000 });

  await shot(Maya, 'room');
  await shot(Jonas, 'room-phone');
  await scheme([Maya, Jonas], 'dark');
  await shot(Maya, 'room-dark');
  await shot(Jonas, 'room-phone-dark');
  await scheme([Maya, Jonas], 'light');

  await Priya.locator('[data-testid="experience-option"][data-name="draw"] [data-testid="experience-open"]').click();
  const [mayaBoard, , priyaBoard] = await Promise.all(all.map((page) => drawFrame(page, 2)));
  for (const [points, color, width] of DRAWING) {
    await priyaBoard.evaluate(([p, c, w]) => window.huddleDraw.drawStroke(p, c, w), [points, color, width]);
  }
  await mayaBoard.waitForFunction((n) => window.huddleDraw.strokeCount() === n, DRAWING.length);
  // Priya's pointer over her board: Maya sees her cursor and name.
  const box = await Priya.locator('[data-testid="experience-frame"]').boundingBox();
  await Priya.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
  await Priya.mouse.move(box.x + box.width * 0.58, box.y + box.height * 0.52, { steps: 5 });
  await mayaBoard.waitForSelector('.cursor');
  await shot(Maya, 'room-draw');
} finally {
  await browser.close();
  await server.stop();
}
