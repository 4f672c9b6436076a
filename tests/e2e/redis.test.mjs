// huddle-server --redis (docs/cluster.md) with a real redis-server: the server is killed (-9) and
// started again, and its room comes back whole: every member in its place, the host still host
// though its tab closed meanwhile (away, not gone). Redis dies and comes back empty: the room
// works all along, /healthz says degraded, and the server writes the room again by itself.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage } from './helpers/browser.mjs';
import { startServer } from '../support/huddle_server.mjs';
import { startRedis } from '../support/redis_server.mjs';
import { chatMessages, createRoom, expect, joinByLink, openLobby, peerItems, selfId, sendShown, waitForMesh } from './helpers/app.mjs';

// Long enough for pages to come back to a restarted server on a busy machine (their reconnect
// backoff grows while it is down), short enough to watch the host's grace run out.
const GRACE_MS = 15000;

async function connected(page) {
  await page.waitForFunction(
    () => document.querySelector('[data-testid="status-bar"]')?.textContent.startsWith('Connected'), null, { timeout: 20000 });
}

async function reconnecting(page) {
  await page.waitForFunction(
    () => document.querySelector('[data-testid="status-bar"]')?.textContent.includes('Reconnecting'), null, { timeout: 10000 });
}

async function receives(page, text) {
  await expect.eventually(async () => (await chatMessages(page)).some((m) => !m.mine && m.text === text), (got) => got,
    { what: `a page to show "${text}"`, timeout: 10000 });
}

describe('rooms kept in Redis (huddle-server --redis)', () => {
  let redis;
  let server;
  let port;
  let browser;
  let room;
  const ids = {};
  const pages = {};
  const serverArgs = () => ['--port', port, '--redis', redis.url, '--member-grace-ms', String(GRACE_MS)];
  // The room's record as Redis holds it now (null: none).
  const stored = async () => {
    const { stdout } = await promisify(execFile)('redis-cli', ['-p', String(redis.port), 'GET', `huddle:room:${room.code}`]);
    return stdout.trim() ? JSON.parse(stdout) : null;
  };

  before(async () => {
    redis = await startRedis();
    server = await startServer(['--redis', redis.url, '--member-grace-ms', String(GRACE_MS)]);
    port = new URL(server.origin).port;
    browser = await launchBrowser();
    for (const name of ['Ann', 'Ben', 'Cat', 'Dan']) pages[name] = await newPage(browser, name);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await redis?.stop();
  });

  test('a kill -9 and a restart keep the room: its members in their places, and the host, whose tab closed meanwhile, away', async () => {
    await openLobby(pages.Ann, server.origin, 'Ann');
    room = await createRoom(pages.Ann);
    for (const name of ['Ben', 'Cat']) await joinByLink(pages[name], room.link, name);
    for (const n of ['Ann', 'Ben', 'Cat']) {
      await waitForMesh(pages[n], 3);
      ids[n] = await selfId(pages[n]);
    }
    await expect.eventually(stored, (r) => r?.members.length === 3, { what: 'the room record with 3 members in Redis' });

    await pages.Ann.close();  // the host's tab goes, just before the server dies
    await expect.eventually(() => peerItems(pages.Ben), (items) => items.find((i) => i.id === ids.Ann)?.away,
      { what: 'Ben to see Ann away' });
    await server.kill();
    await Promise.all(['Ben', 'Cat'].map((n) => reconnecting(pages[n])));
    server = await startServer(serverArgs());

    for (const n of ['Ben', 'Cat']) {
      await connected(pages[n]);
      // Without the directory Ben would have recreated the room and be its host, Ann gone.
      await expect.eventually(() => peerItems(pages[n]),
        (items) => items.length === 3 && items[0].id === ids.Ann && items[0].host && items[0].away,
        { what: `${n} to list Ann first, as host, away`, timeout: 10000 });
      expect.deepEqual((await peerItems(pages[n])).map((i) => i.id), [ids.Ann, ids.Ben, ids.Cat], `${n} lists the old order`);
      expect.equal(await selfId(pages[n]), ids[n], `${n} kept its id`);
    }
    const health = await server.health();
    expect.equal(health.rooms, 1);
    expect.equal(health.members, 3);
    expect.equal(health.redis?.status, 'up');

    await sendShown(pages.Ben, 'after the restart');
    await receives(pages.Cat, 'after the restart');

    // Ann never comes back: after her grace she leaves, and Ben, next in join order, is host.
    await expect.eventually(() => peerItems(pages.Cat), (items) => items.length === 2 && items[0].id === ids.Ben && items[0].host,
      { what: 'Cat to see Ben as host once Ann\'s grace is over', timeout: GRACE_MS + 10000 });
  });

  test('Redis dies and comes back empty: the room works meanwhile, /healthz says degraded, and the room is written again', async () => {
    await redis.kill();
    await expect.eventually(() => server.health(), (h) => h.status === 'degraded' && h.redis?.status === 'down',
      { what: '/healthz to say degraded' });

    // Everything a room does is the server's memory: a message, and a new member.
    await sendShown(pages.Cat, 'while redis is down');
    await receives(pages.Ben, 'while redis is down');
    await joinByLink(pages.Dan, room.link, 'Dan');
    for (const n of ['Ben', 'Cat', 'Dan']) await waitForMesh(pages[n], 3);
    ids.Dan = await selfId(pages.Dan);

    await redis.restart();
    await expect.eventually(() => server.health(), (h) => h.status === 'ok' && h.redis?.status === 'up',
      { what: '/healthz to say ok', timeout: 15000 });
    await expect.eventually(stored, (r) => r?.members.map((m) => m.id).join() === [ids.Ben, ids.Cat, ids.Dan].join(),
      { what: 'the room written again, with Dan' });

    // And that record is the room: a restart brings all three back, Ben host.
    await server.kill();
    server = await startServer(serverArgs());
    for (const n of ['Ben', 'Cat', 'Dan']) {
      await connected(pages[n]);
      await waitForMesh(pages[n], 3);
    }
    expect.equal((await peerItems(pages.Dan)).find((i) => i.host)?.id, ids.Ben);
  });
});
