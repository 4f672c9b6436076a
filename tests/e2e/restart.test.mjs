// The server dies (kill -9) in the middle of a steady chat between three pages and comes back on
// the same port, twice. Every page keeps its peer id and its room, and every message sent before,
// during and after is shown exactly once and in order at every other page.
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage } from './helpers/browser.mjs';
import { startServer } from '../support/huddle_server.mjs';
import { chatMessages, createRoom, expect, joinByLink, openLobby, peerItems, selfId, sendShown, waitForMesh } from './helpers/app.mjs';

const NAMES = ['Ann', 'Ben', 'Cat'];
const ROUNDS = 24;        // messages per page
const KILL_AT = [6, 14];  // rounds after which the server is killed; it restarts 4 rounds later
const DOWN_FOR = 4;

async function statusText(page) {
  return (await page.getByTestId('status-bar').innerText()).trim();
}

describe('the server restarts under a steady message stream', () => {
  let server;
  let port;
  let browser;
  const pages = {};

  before(async () => {
    server = await startServer();
    port = new URL(server.origin).port;
    browser = await launchBrowser();
    for (const name of NAMES) pages[name] = await newPage(browser, name);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('every page keeps its id and gets every message exactly once, in order', async () => {
    await openLobby(pages.Ann, server.origin, 'Ann');
    const room = await createRoom(pages.Ann);
    for (const name of ['Ben', 'Cat']) await joinByLink(pages[name], room.link, name);
    await Promise.all(NAMES.map((n) => waitForMesh(pages[n], 3)));
    const ids = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await selfId(pages[n])])));

    let restarts = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      await Promise.all(NAMES.map((n) => sendShown(pages[n], `${n} #${round}`)));
      if (KILL_AT.includes(round)) {
        await server.kill();
        await Promise.all(NAMES.map((n) => pages[n].waitForFunction(
          () => document.querySelector('[data-testid="status-bar"]')?.textContent.includes('Reconnecting'),
          null, { timeout: 10000 })));
      }
      if (KILL_AT.includes(round - DOWN_FOR)) {
        server = await startServer(['--port', port]);
        restarts++;
      }
    }
    expect.equal(restarts, KILL_AT.length);

    // Everyone is back in the room with the id it had.
    for (const n of NAMES) {
      await pages[n].waitForFunction(
        () => document.querySelector('[data-testid="status-bar"]')?.textContent.startsWith('Connected'),
        null, { timeout: 20000 });
      await waitForMesh(pages[n], 3);
      expect.equal(await selfId(pages[n]), ids[n], `${n} kept its peer id`);
    }
    // The host is still Ann, who created the room, and everyone lists the members in their old
    // order, whoever reconnected first.
    for (const n of NAMES) {
      await expect.eventually(() => peerItems(pages[n]), (items) => items.length === 3 && items[0].host && items[0].id === ids.Ann,
        { what: `${n} to see Ann as host, listed first`, timeout: 10000 });
      expect.deepEqual((await peerItems(pages[n])).map((i) => i.id), NAMES.map((m) => ids[m]), `${n} lists the old order`);
    }
    const health = await server.health();
    expect.equal(health.members, 3, 'the restarted server has the three members back');
    expect.equal(health.rooms, 1, 'in one room');

    // Every message from every other page, exactly once and in send order.
    for (const n of NAMES) {
      await pages[n].waitForFunction((want) => document.querySelectorAll('[data-testid="chat-message"]').length >= want,
        NAMES.length * ROUNDS, { timeout: 20000 }).catch(() => {});  // the comparison below says what is missing
      const received = (await chatMessages(pages[n])).filter((m) => !m.mine);
      for (const other of NAMES.filter((o) => o !== n)) {
        const texts = received.filter((m) => m.text.startsWith(`${other} #`)).map((m) => m.text);
        const want = Array.from({ length: ROUNDS }, (_, i) => `${other} #${i + 1}`);
        // On a mismatch, say what the sender itself shows (did the send go out? receipts? errors?).
        const senderView = JSON.stringify(texts) === JSON.stringify(want) ? '' : JSON.stringify({
          sent: (await chatMessages(pages[other])).filter((m) => m.mine).map((m) => `${m.text}:${m.delivered}`),
          errors: await pages[other].$$eval('[data-testid="room-error"]', (els) => els.map((el) => el.textContent)),
        });
        expect.deepEqual(texts, want, `${n} got ${other}'s messages exactly once and in order ${senderView}`);
      }
      expect.ok((await statusText(pages[n])).startsWith('Connected'), `${n} shows Connected`);
    }
    // Chromium logs each failed reconnect attempt itself: refused while the server is down, or
    // reset when one reached the old process as it was being killed. Anything else is a real problem.
    for (const n of NAMES) {
      const problems = pages[n].problems.filter((p) => !/net::ERR_CONNECTION_(REFUSED|RESET)/.test(p));
      expect.deepEqual(problems, [], `${n} had no page errors`);
    }
  });
});
