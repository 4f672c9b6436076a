// The room as a person uses it, in real Chromium at a desktop (1280×800) and a phone (390×844)
// size, light and dark: a long chat scrolls inside one screen with the message box in view, Send
// keeps the keyboard in the box, typing and idleness show on the other page, a reload keeps the
// conversation, and a host closing the tab is asked first.
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage } from './helpers/browser.mjs';
import { startServer } from '../support/huddle_server.mjs';
import { createRoom, expect, joinByLink, waitForMesh } from './helpers/app.mjs';
import { DESKTOP, PHONE, expectRoomUsable, roomLayout, snap, useScheme } from './helpers/ui.mjs';

const MESSAGES = 50;

const mineTexts = (page) => page.$$eval('[data-testid="chat-message"][data-mine="true"] [data-testid="chat-text"]', (els) => els.map((e) => e.textContent));
const allTexts = (page) => page.$$eval('[data-testid="chat-text"]', (els) => els.map((e) => e.textContent));

describe('the room view, as a person sees it', () => {
  let server;
  let browser;
  let ann; // desktop, the host
  let ben; // phone

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    ann = await newPage(browser, 'Ann', { viewport: DESKTOP });
    ben = await newPage(browser, 'Ben', { viewport: PHONE, isMobile: true, hasTouch: true });
    await ann.goto(server.origin);
    await ann.getByTestId('name-input').fill('Ann');
    const { link } = await createRoom(ann);
    await joinByLink(ben, link, 'Ben');
    await Promise.all([waitForMesh(ann, 2), waitForMesh(ben, 2)]);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(`after ${MESSAGES} messages the box and the newest message are on screen, desktop and phone, light and dark`, async () => {
    const box = ann.getByTestId('chat-input');
    await box.focus();
    for (let i = 1; i <= MESSAGES; i++) {
      await box.fill(`message ${i}: ${'words '.repeat(i % 7)}`.trim());
      await box.press('Enter');
    }
    const last = `message ${MESSAGES}:`;
    for (const page of [ann, ben]) {
      await page.waitForFunction((t) => [...document.querySelectorAll('[data-testid="chat-text"]')].some((e) => e.textContent.startsWith(t)), last);
    }
    for (const scheme of ['light', 'dark']) {
      for (const [page, size] of [[ann, 'desktop'], [ben, 'phone']]) {
        await useScheme(page, scheme);
        const l = await expectRoomUsable(page, `${size} ${scheme}`);
        expect.ok(l.lines >= MESSAGES, `${size}: ${l.lines} lines shown`);
        await snap(page, `room-chat-${size}-${scheme}`);
      }
    }
  });

  test('typing, clicking Send and typing on sends both: focus stays in the box', async () => {
    for (const page of [ann, ben]) {
      const box = page.getByTestId('chat-input');
      await box.click();
      await page.keyboard.type('first');
      await page.getByTestId('chat-send').click();
      await page.keyboard.type('second');
      await page.keyboard.press('Enter');
      await expect.eventually(() => mineTexts(page), (t) => t.slice(-2).join() === 'first,second', { what: 'both sent' });
      expect.equal((await roomLayout(page)).focus, 'chat-input');
    }
  });

  test('Shift+Enter starts a new line in the message', async () => {
    await ben.getByTestId('chat-input').click();
    await ben.keyboard.type('line one');
    await ben.keyboard.press('Shift+Enter');
    await ben.keyboard.type('line two');
    await ben.keyboard.press('Enter');
    await expect.eventually(() => allTexts(ann), (t) => t.at(-1) === 'line one\nline two', { what: 'a two-line message at Ann' });
  });

  test('typing shows on the other page and clears when the message is sent', async () => {
    await ben.getByTestId('chat-input').click();
    await ben.keyboard.type('thinking');
    await ann.waitForFunction(() => document.querySelector('[data-testid="typing"]')?.textContent === 'Ben is typing…');
    await ben.keyboard.press('Enter');
    await ann.waitForFunction(() => document.querySelector('[data-testid="typing"]')?.textContent === '');
  });

  test('a hidden tab shows as idle on the other page, and active again when shown', async () => {
    const presenceOfBen = () => ann.$eval('[data-testid="peer-item"][data-self="false"]', (el) => el.dataset.presence);
    // Headless tabs are never hidden: tell the page its tab was switched away, as the browser would.
    const setHidden = (hidden) => ben.evaluate((h) => {
      Object.defineProperty(document, 'visibilityState', { value: h ? 'hidden' : 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
    await setHidden(true);
    await expect.eventually(presenceOfBen, (p) => p === 'idle', { what: 'Ben idle at Ann', timeout: 8000 });
    await setHidden(false);
    await expect.eventually(presenceOfBen, (p) => p === 'active', { what: 'Ben active again at Ann', timeout: 8000 });
  });

  test('a reload shows the conversation again, in order', async () => {
    const before = await allTexts(ben);
    await ben.reload();
    await ben.getByTestId('room-code').waitFor();
    await expect.eventually(() => allTexts(ben), (t) => t.length >= before.length, { what: 'history back after the reload' });
    expect.deepEqual((await allTexts(ben)).slice(0, before.length), before);
    await expectRoomUsable(ben, 'phone after reload');
  });

  test('a file picked in the app arrives with a progress bar and a download link holding the same bytes', async () => {
    const bytes = Buffer.alloc(300_000, 7);
    for (let i = 0; i < bytes.length; i += 997) bytes[i] = i % 251;
    await ann.getByTestId('file-input').setInputFiles({ name: 'notes.bin', mimeType: 'application/octet-stream', buffer: bytes });
    // The sender sees it move (a progress bar or already done), the receiver gets a link.
    await ann.locator('[data-testid="file-item"][data-mine="true"][data-name="notes.bin"]').waitFor();
    const link = ben.locator('[data-testid="file-item"][data-name="notes.bin"] [data-testid="file-download"]');
    await link.waitFor({ timeout: 20000 });
    const got = await link.evaluate(async (a) => Array.from(new Uint8Array(await (await fetch(a.href)).arrayBuffer())));
    expect.ok(Buffer.from(got).equals(bytes), 'the same bytes arrived');
    expect.equal(await link.getAttribute('download'), 'notes.bin');
    await ann.waitForFunction(() => document.querySelector('[data-testid="file-item"][data-mine="true"]')?.dataset.state === 'done');
    expect.ok((await ann.locator('[data-testid="file-item"][data-mine="true"] [data-testid="file-note"]').innerText()).includes('Ben has it'));
    await expectRoomUsable(ben, 'phone with a file');
    await snap(ben, 'room-file-phone');
  });

  test('the host closing the tab with others present is asked first', async () => {
    let asked = null;
    ann.once('dialog', async (d) => {
      asked = d.type();
      await d.dismiss(); // stay
    });
    // The browser only asks a page the person has interacted with, which Ann has.
    await ann.close({ runBeforeUnload: true });
    await expect.eventually(() => asked, (t) => t === 'beforeunload', { what: 'a beforeunload prompt' });
    expect.equal(ann.isClosed(), false, 'staying keeps the page');
  });
});
