// A room nobody uses is closed by the server (--room-idle-ms, short here): the person sees why,
// on screen at a desktop and a phone size, light and dark, with the status saying Offline, and
// Leave takes them back to the lobby. A room whose members chat stays open past the timeout.
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage } from './helpers/browser.mjs';
import { startServer } from '../support/huddle_server.mjs';
import { createRoom, expect, openLobby, sendShown } from './helpers/app.mjs';
import { DESKTOP, PHONE, snap } from './helpers/ui.mjs';

const IDLE_MS = 1500;

async function bannerBox(page) {
  return page.getByTestId('room-error').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: innerWidth, height: innerHeight,
      text: el.textContent, scrollWidth: document.documentElement.scrollWidth };
  });
}

describe('room expiry', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer(['--room-idle-ms', String(IDLE_MS)]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('an idle room closes with a message on screen, and Leave goes back to the lobby', async () => {
    const sizes = [['desktop-light', DESKTOP, 'light'], ['phone-dark', PHONE, 'dark']];
    await Promise.all(sizes.map(async ([label, viewport, colorScheme]) => {
      const page = await newPage(browser, label, { viewport, colorScheme });
      await openLobby(page, server.origin, 'Ann');
      await createRoom(page);
      await page.getByTestId('room-error').waitFor({ timeout: 3 * IDLE_MS });
      const box = await bannerBox(page);
      expect.ok(/closed because nobody had used it/.test(box.text), `${label}: the banner says why: ${box.text}`);
      expect.ok(box.top >= 0 && box.bottom <= box.height && box.left >= 0 && box.right <= box.width,
        `${label}: the banner is on screen: ${JSON.stringify(box)}`);
      expect.ok(box.scrollWidth <= box.width + 1, `${label}: nothing overflows sideways`);
      expect.equal(await page.getByTestId('status-bar').getAttribute('data-status'), 'offline');
      await snap(page, `room-expired-${label}`);
      await page.getByTestId('leave-button').click();
      const confirm = page.getByTestId('leave-confirm');
      if (await confirm.count()) await confirm.click();
      await page.getByTestId('create-button').waitFor();
      expect.deepEqual(page.problems, []);
    }));
  });

  test('a room whose members chat stays open past the timeout', async () => {
    const page = await newPage(browser, 'chatty');
    await openLobby(page, server.origin, 'Ben');
    await createRoom(page);
    const until = Date.now() + 2 * IDLE_MS;
    for (let i = 1; Date.now() < until; i++) {
      await sendShown(page, `still here #${i}`);
      await page.waitForTimeout(200);
    }
    expect.equal(await page.getByTestId('room-error').count(), 0, 'no banner');
    expect.equal(await page.getByTestId('status-bar').getAttribute('data-status'), 'in_room');
  });
});
