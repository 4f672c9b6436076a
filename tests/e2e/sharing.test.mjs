// Sharing a room, as a person sees it: the share link's buttons and QR code at a desktop and a
// phone size, light and dark; the share sheet where the browser has one; what a pasted link
// previews as; and what a bad or stale invite link says. Screenshots go to HUDDLE_SHOTS (default
// /tmp/huddle-shots) for a person to look at; the assertions are on what is visible and focused.
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage } from './helpers/browser.mjs';
import { startServer } from '../support/huddle_server.mjs';
import { createRoom, expect, openLobby } from './helpers/app.mjs';
import { DESKTOP, PHONE, snap, useScheme } from './helpers/ui.mjs';

const SHOTS = process.env.HUDDLE_SHOTS ?? '/tmp/huddle-shots';
const SIZES = [{ name: 'desktop', ...DESKTOP }, { name: 'phone', ...PHONE }];
const SCHEMES = ['light', 'dark'];

/** The element's box, whether it lies wholly inside the viewport, and the page's overflow. */
function layout(page, testId) {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    const r = el?.getBoundingClientRect();
    return {
      box: r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null,
      inside: Boolean(r && r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth),
      overflowX: document.documentElement.scrollWidth > innerWidth,
    };
  }, testId);
}

const focusedTestId = (page) => page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);

const shot = (page, name) => snap(page, name, SHOTS);

describe('sharing', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the share link, its buttons and the QR code fit and work at both sizes, light and dark', async () => {
    const page = await newPage(browser, 'host');
    await openLobby(page, server.origin, 'Ann');
    const { link } = await createRoom(page);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const colorScheme of SCHEMES) {
        const where = `${size.name} ${colorScheme}`;
        await useScheme(page, colorScheme);
        for (const id of ['share-link', 'copy-link', 'qr-button']) {
          const l = await layout(page, id);
          expect.ok(l.inside, `${where}: ${id} is inside the viewport (${JSON.stringify(l.box)})`);
          expect.ok(!l.overflowX, `${where}: nothing overflows sideways`);
        }
        expect.equal(await page.getByTestId('share-button').count(), 0, 'no "Share…" where the browser has no share sheet');
        await shot(page, `share-${size.name}-${colorScheme}`);

        await page.getByTestId('qr-button').focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('qr-dialog').waitFor();
        expect.equal(await focusedTestId(page), 'qr-close', `${where}: focus moves into the dialog`);
        const qr = await layout(page, 'qr-code');
        expect.ok(qr.inside, `${where}: the QR code is inside the viewport (${JSON.stringify(qr.box)})`);
        // 37 modules (version 3 and its quiet zone): at least 6 px each for a phone camera.
        expect.ok(qr.box.width >= 222, `${where}: the QR code is big enough to scan (${qr.box.width}px)`);
        expect.ok((await layout(page, 'qr-close')).inside, `${where}: Close is inside the viewport`);
        expect.equal(await page.getByTestId('qr-url').innerText(), link);
        // Dark modules on light in both themes: what scanners read.
        const colours = await page.evaluate(() => {
          const svg = document.querySelector('[data-testid="qr-code"]');
          return [getComputedStyle(svg.querySelector('rect')).fill, getComputedStyle(svg.querySelector('path')).fill];
        });
        expect.deepEqual(colours, ['rgb(255, 255, 255)', 'rgb(0, 0, 0)'], `${where}: black on white`);
        await shot(page, `qr-${size.name}-${colorScheme}`);

        await page.keyboard.press('Tab'); // stays inside
        expect.equal(await focusedTestId(page), 'qr-close', `${where}: Tab stays in the dialog`);
        await page.keyboard.press('Escape');
        expect.equal(await page.getByTestId('qr-dialog').count(), 0, `${where}: Escape closes the dialog`);
        expect.equal(await focusedTestId(page), 'qr-button', `${where}: focus is back on the QR button`);
      }
    }
  });

  test('where the browser has a share sheet, "Share…" hands it the room link', async () => {
    const page = await newPage(browser, 'phone');
    await page.addInitScript(() => {
      window.shared = [];
      navigator.share = async (data) => { window.shared.push(data); };
      navigator.canShare = () => true;
    });
    await page.setViewportSize({ width: 390, height: 844 });
    await openLobby(page, server.origin, 'Bea');
    const { link } = await createRoom(page);
    for (const id of ['copy-link', 'share-button', 'qr-button']) {
      const l = await layout(page, id);
      expect.ok(l.inside && !l.overflowX, `${id} is inside the viewport with nothing overflowing (${JSON.stringify(l.box)})`);
    }
    await shot(page, 'share-phone-with-share-sheet');
    await page.getByTestId('share-button').click();
    const shared = await page.evaluate(() => window.shared);
    expect.equal(shared.length, 1);
    expect.equal(shared[0].url, link);
  });

  test('a pasted share link previews as "Join room CODE on huddle"; anything else gets the generic text', async () => {
    const room = await (await fetch(`${server.origin}/r/abc234`)).text();
    expect.ok(room.includes('<meta property="og:title" content="Join room ABC234 on huddle" />'), room.slice(0, 800));
    expect.ok(room.includes(`<meta property="og:url" content="${server.origin}/r/ABC234" />`));
    expect.ok(room.includes('<meta name="twitter:card" content="summary" />'));
    expect.ok(room.includes('<div id="app"></div>'), 'still the app');
    const hostile = await (await fetch(`${server.origin}/r/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E`)).text();
    expect.ok(!hostile.includes('alert(1)'));
    const bad = await (await fetch(`${server.origin}/r/abc`)).text();
    expect.ok(bad.includes('<meta property="og:title" content="huddle: small rooms, browser to browser" />'));
    expect.ok(!bad.includes('Join room'));
  });

  test('a link without a valid code says so, at both sizes, light and dark', async () => {
    const page = await newPage(browser, 'lost');
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const colorScheme of SCHEMES) {
        await useScheme(page, colorScheme);
        await page.goto(`${server.origin}/r/abc`);
        const error = page.getByTestId('lobby-error');
        await error.waitFor();
        expect.ok(/isn't a valid room link/.test(await error.innerText()));
        const l = await layout(page, 'lobby-error');
        expect.ok(l.inside && !l.overflowX, `${size.name} ${colorScheme}: the message is in view (${JSON.stringify(l.box)})`);
        expect.equal(await focusedTestId(page), 'name-input', 'a first visit asks for the name first');
        await shot(page, `bad-link-${size.name}-${colorScheme}`);
      }
    }
  });

  test('an invite to a room that has ended says so and what to do', async () => {
    const page = await newPage(browser, 'late');
    await openLobby(page, server.origin, 'Cy', '/r/ZZZZZZ');
    await page.getByTestId('join-button').click();
    const error = page.getByTestId('lobby-error');
    await error.waitFor();
    expect.ok(/Room ZZZZZZ isn't open anymore/.test(await error.innerText()));
    expect.equal(await page.getByTestId('room-code').count(), 0, 'stays in the lobby');
  });
});
