// Two app pages in one room open Draw together from the picker: both show it, strokes drawn in
// either iframe reach the other through the room the app already joined (no second join), chat
// keeps working beside it without showing any experience traffic, a member who joins later gets
// the open experience with the drawing so far, and closing it closes it for everyone.
import { after, before, describe, test } from 'node:test';
import path from 'node:path';
import { launchBrowser, newPage } from './helpers/browser.mjs';
import { repoRoot, startServer } from '../support/huddle_server.mjs';
import { chatMessages, createRoom, expect, joinByLink, openLobby, sendChat, waitForMesh } from './helpers/app.mjs';

const systemLines = (page) => page.$$eval('[data-testid="system-line"]', (els) => els.map((el) => el.textContent));

/** The draw iframe of `page`, once its P2P is connected and sees `peers` others. */
async function drawFrame(page, peers) {
  const handle = await page.locator('[data-testid="experience-frame"][data-name="draw"]').elementHandle({ timeout: 10000 });
  const frame = await handle.contentFrame();
  await frame.waitForFunction((n) => window.huddleDraw && window.P2P?.isConnected() && P2P.getPeers().length === n,
    peers, { timeout: 20000 });
  return frame;
}

const strokeCount = (frame) => frame.evaluate(() => window.huddleDraw.strokeCount());

describe('opening an experience together from the app', () => {
  let server;
  let browser;
  const pages = {};
  const frames = {};
  let room;

  before(async () => {
    server = await startServer(['--experiences-dir', path.join(repoRoot, 'experiences')]);
    browser = await launchBrowser();
    for (const name of ['Ann', 'Ben']) pages[name] = await newPage(browser, name);
  });

  after(async () => {
    await browser?.close();
    const code = await server?.stop();
    expect.equal(code, 0, 'huddle-server exits cleanly on SIGTERM');
  });

  test('Ann and Ben meet in a room; both see the picker with the shipped experiences', async () => {
    await openLobby(pages.Ann, server.origin, 'Ann');
    room = await createRoom(pages.Ann);
    await joinByLink(pages.Ben, room.link, 'Ben');
    await Promise.all(Object.values(pages).map((p) => waitForMesh(p, 2)));
    for (const page of Object.values(pages)) {
      await page.locator('[data-testid="experience-option"][data-name="draw"]').waitFor();
      const names = await page.$$eval('[data-testid="experience-option"]', (els) => els.map((el) => el.dataset.name));
      expect.deepEqual(names, ['draw', 'pong']);
    }
  });

  test("Ann opens Draw together from the picker and Ben's page shows it too", async () => {
    await pages.Ann.locator('[data-testid="experience-option"][data-name="draw"] [data-testid="experience-open"]').click();
    [frames.Ann, frames.Ben] = await Promise.all([drawFrame(pages.Ann, 1), drawFrame(pages.Ben, 1)]);
    await expect.eventually(() => systemLines(pages.Ben), (lines) => lines.includes('Ann opened Draw together'),
      { what: "Ben's line about Ann opening it" });
    expect.equal(await pages.Ben.locator('[data-testid="experience-picker"]').count(), 0, 'the picker makes way');
  });

  test('strokes drawn in either iframe reach the other', async () => {
    await frames.Ann.evaluate(() => window.huddleDraw.drawStroke([[0.1, 0.1], [0.9, 0.9]], '#e11d48'));
    await frames.Ben.evaluate(() => window.huddleDraw.drawStroke([[0.9, 0.1], [0.1, 0.9]], '#2563eb'));
    for (const name of ['Ann', 'Ben']) {
      await expect.eventually(() => strokeCount(frames[name]), (n) => n === 2, { what: `${name}'s board to hold 2 strokes` });
    }
    const health = await server.health();
    expect.equal(health.rooms, 1, 'the experience used the room the app had joined');
    expect.equal(health.members, 2, 'nobody joined a second time');
  });

  test('chat works beside it and shows no experience traffic', async () => {
    await sendChat(pages.Ann, 'nice lines');
    await sendChat(pages.Ben, 'thanks!');
    for (const [name, page] of Object.entries(pages)) {
      const msgs = await expect.eventually(() => chatMessages(page), (m) => m.length === 2, { what: `${name}'s chat` });
      expect.deepEqual(msgs.map((m) => m.text.trim()), ['nice lines', 'thanks!'], `${name} sees only the chat`);
    }
  });

  test('Cat, who joins later, gets Draw together with the drawing so far', async () => {
    pages.Cat = await newPage(browser, 'Cat');
    await joinByLink(pages.Cat, room.link, 'Cat');
    frames.Cat = await drawFrame(pages.Cat, 2);
    await expect.eventually(() => strokeCount(frames.Cat), (n) => n === 2, { what: "Cat's board to get the 2 strokes" });
    // The line follows the experience's own announcement, which may arrive after the strokes.
    await expect.eventually(() => systemLines(pages.Cat), (lines) => lines.includes('Draw together is open'),
      { what: "Cat's chat to say Draw together is open" });
  });

  test('Ann closes it and it closes for everyone', async () => {
    await pages.Ann.getByTestId('experience-close').click();
    for (const [name, page] of Object.entries(pages)) {
      await page.getByTestId('experience-picker').waitFor({ timeout: 10000 });
      expect.equal(await page.getByTestId('experience-frame').count(), 0, `${name}'s frame is gone`);
    }
    expect.ok((await systemLines(pages.Ben)).includes('Ann closed Draw together'));
    for (const page of Object.values(pages)) expect.deepEqual(page.problems.filter((p) => !p.includes('favicon')), []);
  });

  test('from the keyboard, Open puts focus in the experience and Close puts it back in the picker', async () => {
    const ann = pages.Ann;
    await ann.locator('[data-testid="experience-option"][data-name="draw"] [data-testid="experience-open"]').focus();
    await ann.keyboard.press('Enter');
    await drawFrame(ann, 2);
    expect.equal(await ann.evaluate(() => document.activeElement?.dataset.testid), 'experience-frame', 'focus is in the experience');
    await ann.getByTestId('experience-close').focus();
    await ann.keyboard.press('Enter');
    await ann.getByTestId('experience-picker').waitFor();
    expect.equal(await ann.evaluate(() => document.activeElement?.id), 'experiences-title', 'focus is on the picker, not lost');
  });

  test('a page that fails to load says so, and loads with Try again', async () => {
    // Ben's browser cannot fetch Pong (as when the server is out of reach); Ann's can.
    await pages.Ben.route('**/experiences/pong/**', (route) => route.abort('connectionrefused'));
    await pages.Ann.locator('[data-testid="experience-option"][data-name="pong"] [data-testid="experience-open"]').click();
    await pages.Ben.getByTestId('experience-failed').waitFor({ timeout: 10000 });
    expect.ok((await pages.Ben.getByTestId('experience-failed').innerText()).includes('could not be loaded'));
    await pages.Ben.unroute('**/experiences/pong/**');
    await pages.Ben.getByTestId('experience-reload').click();
    await pages.Ben.waitForFunction(() => document.querySelector('[data-testid="experience-stage"]')?.dataset.load === 'ready', null, { timeout: 10000 });
    expect.equal(await pages.Ben.getByTestId('experience-failed').count(), 0);
    await pages.Ann.getByTestId('experience-close').click();
  });
});
