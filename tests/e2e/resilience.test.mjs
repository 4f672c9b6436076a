// What keeps a room working when things go wrong, with real pages and a real server: ICE that
// cannot connect (the relay carries the room, and the app says so), a relay-only room, a page
// reloaded mid-conversation (same peer id, nothing lost), and a host whose tab dies (away for the
// grace period, then the next member is host) or who leaves on purpose (hand-over at once).
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage } from './helpers/browser.mjs';
import { startServer } from '../support/huddle_server.mjs';
import { chatMessages, createRoom, expect, joinByLink, openLobby, peerItems, selfId, sendShown } from './helpers/app.mjs';
import { recordFigure } from './helpers/figures.mjs';

const GRACE_MS = 4000;

async function join(page, link, name) {
  await joinByLink(page, link, name);
  await page.getByTestId('room-code').waitFor();
}

/** Resolves when every other member on this page is reached through `transport`. */
async function waitForTransport(page, count, transport, timeout = 20000) {
  await page.waitForFunction(([n, t]) => {
    const items = [...document.querySelectorAll('[data-testid="peer-item"]')];
    return items.length === n && items.every((el) => el.dataset.self === 'true' || el.dataset.transport === t);
  }, [count, transport], { timeout });
}

async function textsFrom(page, prefix) {
  return (await chatMessages(page)).filter((m) => !m.mine && m.text.startsWith(prefix)).map((m) => m.text);
}

describe('resilience', () => {
  let server;
  let browser;
  const open = [];

  before(async () => {
    server = await startServer(['--member-grace-ms', String(GRACE_MS)]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function page(name) {
    const p = await newPage(browser, name);
    open.push(p);
    return p;
  }

  test('when ICE cannot connect, the relay carries the room and the member list says "relay"', async () => {
    const ann = await page('Ann');
    const ben = await page('Ben');
    await openLobby(ann, server.origin, 'Ann');
    const room = await createRoom(ann);
    // Ben gathers TURN candidates only, and there is no TURN server: no direct link can form.
    const started = Date.now();
    await join(ben, `${room.link}?ice=relay`, 'Ben');
    await Promise.all([waitForTransport(ann, 2, 'relay'), waitForTransport(ben, 2, 'relay')]);
    recordFigure('relay fallback: join until both sides relay (ms)', Date.now() - started);
    for (const p of [ann, ben]) {
      const other = (await peerItems(p)).find((i) => !i.self);
      expect.ok(/relay/i.test(other.text), `the member list says relay: ${other.text}`);
    }
    const relayedBefore = (await server.health()).relayedMessages;
    for (let i = 1; i <= 10; i++) {
      await sendShown(ann, `from Ann ${i}`);
      await sendShown(ben, `from Ben ${i}`);
    }
    const expected = (who) => Array.from({ length: 10 }, (_, i) => `from ${who} ${i + 1}`);
    await expect.eventually(() => textsFrom(ben, 'from Ann'), (t) => t.length >= 10, { what: 'Ben to get Ann\'s messages' });
    await expect.eventually(() => textsFrom(ann, 'from Ben'), (t) => t.length >= 10, { what: 'Ann to get Ben\'s messages' });
    expect.deepEqual(await textsFrom(ben, 'from Ann'), expected('Ann'));
    expect.deepEqual(await textsFrom(ann, 'from Ben'), expected('Ben'));
    expect.ok((await server.health()).relayedMessages > relayedBefore, 'the server relayed them');
    // The round-trip time through the server is measured and shown too.
    const rtt = await expect.eventually(() => ann.getByTestId('peer-rtt').count(), (n) => n === 1, { what: 'an RTT' });
    expect.equal(rtt, 1);
    for (const p of [ann, ben]) expect.deepEqual(p.problems.filter((x) => !x.includes('favicon')), []);
  });

  test('a relay-only room never opens a direct link', async () => {
    const ann = await page('Ann');
    const ben = await page('Ben');
    await openLobby(ann, server.origin, 'Ann');
    await ann.getByTestId('relay-only-checkbox').check();
    const room = await createRoom(ann);
    await join(ben, room.link, 'Ben');
    await Promise.all([waitForTransport(ann, 2, 'relay'), waitForTransport(ben, 2, 'relay')]);
    const other = (await peerItems(ben)).find((i) => !i.self);
    expect.equal(other.link, 'closed');
    await sendShown(ben, 'through the server only');
    await expect.eventually(() => textsFrom(ann, 'through'), (t) => t.length === 1, { what: 'Ann to get it' });
  });

  test('a reloaded page keeps its peer id and place, and gets what was sent meanwhile', async () => {
    const ann = await page('Ann');
    const ben = await page('Ben');
    await openLobby(ann, server.origin, 'Ann');
    const room = await createRoom(ann);
    await join(ben, room.link, 'Ben');
    await Promise.all([waitForTransport(ann, 2, 'direct'), waitForTransport(ben, 2, 'direct')]);
    const benId = await selfId(ben);
    await sendShown(ann, 'before the reload');
    await expect.eventually(() => textsFrom(ben, 'before'), (t) => t.length === 1, { what: 'the first message' });

    const reloaded = ben.reload();
    // Ann keeps writing while Ben's page is gone and coming back.
    for (let i = 1; i <= 5; i++) await sendShown(ann, `during the reload ${i}`);
    await reloaded;
    await ben.getByTestId('room-code').waitFor({ timeout: 15000 });
    expect.equal(await selfId(ben), benId, 'same peer id after the reload');
    const annSees = await peerItems(ann);
    expect.equal(annSees.length, 2, 'Ben never left Ann\'s list');
    expect.ok(annSees.some((i) => i.id === benId));
    await expect.eventually(() => textsFrom(ben, 'during'), (t) => t.length >= 5, { what: 'the messages sent meanwhile' });
    expect.deepEqual(await textsFrom(ben, 'during'), [1, 2, 3, 4, 5].map((i) => `during the reload ${i}`));
    await waitForTransport(ann, 2, 'direct');
  });

  test('a host whose tab dies is away for the grace period, then the next member is host', async () => {
    const ann = await page('Ann');
    const ben = await page('Ben');
    const cat = await page('Cat');
    await openLobby(ann, server.origin, 'Ann');
    const room = await createRoom(ann);
    await join(ben, room.link, 'Ben');
    await join(cat, room.link, 'Cat');
    await Promise.all([ann, ben, cat].map((p) => waitForTransport(p, 3, 'direct')));
    const annId = await selfId(ann);
    const closed = Date.now();
    await ann.context().close();
    // Away, still host: a game can pause.
    for (const p of [ben, cat]) {
      await expect.eventually(() => peerItems(p), (items) => items.some((i) => i.id === annId && i.host && i.away),
        { what: 'Ann to be the away host' });
    }
    expect.ok(Date.now() - closed < GRACE_MS, 'away is seen before the grace period ends');
    const benItems = await expect.eventually(() => peerItems(ben), (items) => items.length === 2 && items.find((i) => i.self).host,
      { what: 'Ben to become host', timeout: GRACE_MS + 10000 });
    expect.ok(Date.now() - closed >= GRACE_MS - 500, 'not before the grace period');
    expect.ok(!benItems.some((i) => i.id === annId));
    await expect.eventually(() => peerItems(cat), (items) => items.length === 2 && items.find((i) => !i.self).host,
      { what: 'Cat to see Ben as host' });
    recordFigure('host tab closed: until the next member is host (ms)', Date.now() - closed);

    // Ben, now host, leaves on purpose: Cat is host at once.
    const left = Date.now();
    await ben.getByTestId('leave-button').click();
    await ben.getByTestId('leave-confirm').click(); // Leave asks first
    await expect.eventually(() => peerItems(cat), (items) => items.length === 1 && items[0].host,
      { what: 'Cat to become host', timeout: 3000 });
    recordFigure('host leaves: until the next member is host (ms)', Date.now() - left);
  });
});
