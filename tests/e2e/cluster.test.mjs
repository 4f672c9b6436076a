// Three huddle-servers on one redis-server behind a plain balancer (docs/cluster.md): three pages
// whose signaling sockets land on three different nodes meet in one room, open the full mesh and
// get each other's messages exactly once and in order; the room lives on the node it was created
// on, the others hand their members to it.
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage } from './helpers/browser.mjs';
import { startCluster } from '../support/cluster.mjs';
import { chatMessages, createRoom, expect, joinByLink, openLobby, sendShown, waitForMesh } from './helpers/app.mjs';

const NAMES = ['Ann', 'Ben', 'Cat'];
const ROUNDS = 5;

describe('three servers behind a balancer, one room', () => {
  let cluster;
  let browser;
  const pages = {};

  before(async () => {
    cluster = await startCluster({ nodes: 3 });
    browser = await launchBrowser();
    for (const name of NAMES) pages[name] = await newPage(browser, name);
  });

  after(async () => {
    await browser?.close();
    await cluster?.stop();
  });

  test('members on three nodes meet, open the mesh and get every message once, in order', async () => {
    await openLobby(pages.Ann, cluster.origin, 'Ann');
    const room = await createRoom(pages.Ann);
    for (const name of ['Ben', 'Cat']) await joinByLink(pages[name], room.link, name);
    for (const n of NAMES) await waitForMesh(pages[n], 3);

    // Every node took WebSockets (the balancer took turns); one holds the room.
    const opened = await Promise.all(cluster.servers.map(async (s) => {
      const text = await (await fetch(`${s.origin}/metrics`)).text();
      return Number(text.match(/^huddle_connections_opened_total (\d+)$/m)?.[1] ?? 0);
    }));
    expect.deepEqual(opened.map((n) => n > 0), [true, true, true], `WebSockets opened per node: ${opened}`);
    const health = await Promise.all(cluster.servers.map((s) => s.health()));
    expect.equal(health.reduce((n, h) => n + h.rooms, 0), 1, 'one node holds the room');
    expect.equal(health.reduce((n, h) => n + h.members, 0), 3, 'with the three members');

    for (let round = 1; round <= ROUNDS; round++) {
      await Promise.all(NAMES.map((n) => sendShown(pages[n], `${n} #${round}`)));
    }
    for (const n of NAMES) {
      for (const other of NAMES.filter((o) => o !== n)) {
        const want = Array.from({ length: ROUNDS }, (_, i) => `${other} #${i + 1}`);
        await expect.eventually(async () => (await chatMessages(pages[n])).filter((m) => m.text.startsWith(`${other} #`)).map((m) => m.text),
          (got) => JSON.stringify(got) === JSON.stringify(want), { what: `${n} to get ${other}'s messages once, in order` });
      }
    }
    for (const n of NAMES) expect.deepEqual(pages[n].problems.filter((p) => !/favicon/.test(p)), [], `${n} had no page errors`);
  });
});
