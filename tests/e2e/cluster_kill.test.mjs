// A node of three dies (kill -9) while every member of a room is sending (docs/cluster.md, "What
// ends a piped connection"), each test in a cluster of its own: the node holding the room, or a
// node that is only a gateway. In a relay-only room every message goes through the nodes and
// Redis; in a room of direct links only signaling does. The members come back through the nodes
// left with the ids and places they had, the host still host, and every page shows every other
// page's messages exactly once and in order.
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, newPage } from './helpers/browser.mjs';
import { startCluster } from '../support/cluster.mjs';
import { chatMessages, createRoom, expect, joinByLink, openLobby, peerItems, selfId, sendShown, waitForMesh } from './helpers/app.mjs';

const NAMES = ['Ann', 'Ben', 'Cat'];
// As in redis.test.mjs: room for pages whose reconnect backoff grew while their node was gone.
const GRACE_MS = 15000;
// Each page sends a message, waits for it to be listed, then waits this long (ms).
const PACE_MS = 50;
// How long the pages send before the kill, and after the room is whole again (ms).
const BEFORE_KILL_MS = 1500;
const AFTER_BACK_MS = 1000;
// A dead node's lease lapses after 5 s (docs/cluster.md, "Owners") and the others look every
// second: the pages send at least this long after the kill (ms), so that whatever the survivors
// do once they see the node dead (end piped sockets, make its members away) happens under the test.
const SEND_AFTER_KILL_MS = 7500;

/** Resolves when `page` lists `count` members, every other one reached through `transport`. */
async function waitForTransport(page, count, transport, timeout = 20000) {
  await page.waitForFunction(([n, t]) => {
    const items = [...document.querySelectorAll('[data-testid="peer-item"]')];
    return items.length === n && items.every((el) => el.dataset.self === 'true' || el.dataset.transport === t);
  }, [count, transport], { timeout });
}

/**
 * Notes every status the page's status bar takes from now on (`in_room`, `reconnecting`, ...),
 * however briefly: a reconnect through a live node can take a quarter of a second.
 */
async function recordStatuses(page) {
  await page.evaluate(() => {
    const seen = [];
    const note = () => {
      const status = document.querySelector('[data-testid="status-bar"]')?.dataset.status;
      if (status && status !== seen.at(-1)) seen.push(status);
    };
    note();
    new MutationObserver(note).observe(document.body,
      { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
    window.statusesSeen = seen;
  });
}

const statusesSeen = (page) => page.evaluate(() => window.statusesSeen);

/** Sends `${name} #1`, `#2`, ... until `until.stopped`; resolves with how many it sent. */
async function stream(page, name, until) {
  let sent = 0;
  while (!until.stopped) {
    await sendShown(page, `${name} #${++sent}`);
    await sleep(PACE_MS);
  }
  return sent;
}

/** The sum of a node's /metrics series whose name and labels start with `series`. */
async function metric(server, series) {
  const text = await (await fetch(`${server.origin}/metrics`)).text();
  return text.split('\n').filter((line) => line.startsWith(series)).reduce((n, line) => n + Number(line.split(' ').at(-1)), 0);
}

/**
 * WebSockets open on a node now: its gateway sockets, piped or not (/healthz's `connections`
 * counts the members its Hub runs, which are the owner's, not the gateway's).
 */
async function openSockets(server) {
  return await metric(server, 'huddle_connections_opened_total ') - await metric(server, 'huddle_connections_closed_total{');
}

/** Sockets a node ended because the node holding their room died. */
const nodeLost = (server) => metric(server, 'huddle_connections_closed_total{reason="node_lost"}');

/** The index of the one live node holding a room (asserted: exactly one). */
async function ownerIndex(cluster, live) {
  const health = await Promise.all(live.map((i) => cluster.servers[i].health()));
  const owners = live.filter((_, k) => health[k].rooms > 0);
  expect.equal(owners.length, 1, `one node holds the room: ${JSON.stringify(health.map((h) => h.rooms))}`);
  return owners[0];
}

describe('a node of three dies under a steady chat', () => {
  let browser;

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  // Relay-only: every message goes through the nodes, the kill is in their way. In a mesh the
  // messages go over direct links and the kill touches signaling only (a room moving to another
  // node under open links); a gateway's death there is one member's signaling, which the
  // relay-only case already covers harder.
  for (const { which, relayOnly, ofOwner } of [
    { which: 'the node holding a relay-only room', relayOnly: true, ofOwner: true },
    { which: 'a node that is only a gateway of a relay-only room', relayOnly: true, ofOwner: false },
    { which: 'the node holding a room of direct links', relayOnly: false, ofOwner: true },
  ]) {
    test(`kill -9 of ${which}: its members come back through the others with the same ids, nothing lost`, async (t) => {
      const cluster = await startCluster({ nodes: 3, args: ['--member-grace-ms', String(GRACE_MS)] });
      const pages = {};
      const until = { stopped: false };
      t.after(async () => {
        until.stopped = true;
        await Promise.all(Object.values(pages).map((p) => p.context().close()));
        await cluster.stop();
      });
      for (const name of NAMES) pages[name] = await newPage(browser, name);
      const linked = (page) => (relayOnly ? waitForTransport(page, 3, 'relay') : waitForMesh(page, 3));

      await openLobby(pages.Ann, cluster.origin, 'Ann');
      if (relayOnly) await pages.Ann.getByTestId('relay-only-checkbox').check();
      const room = await createRoom(pages.Ann);
      for (const name of ['Ben', 'Cat']) await joinByLink(pages[name], room.link, name);
      await Promise.all(NAMES.map((n) => linked(pages[n])));
      const ids = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await selfId(pages[n])])));
      for (const n of NAMES) expect.equal((await peerItems(pages[n])).find((i) => i.host)?.id, ids.Ann, `${n} sees Ann as host`);

      // One socket per node (the balancer takes turns), one node holding the room: so every
      // other node is a gateway only.
      expect.deepEqual(await Promise.all(cluster.servers.map(openSockets)), [1, 1, 1], 'one member\'s socket on each node');
      const owner = await ownerIndex(cluster, [0, 1, 2]);
      const killed = ofOwner ? owner : (owner + 1) % 3;
      const live = [0, 1, 2].filter((i) => i !== killed);

      await Promise.all(NAMES.map((n) => recordStatuses(pages[n])));
      const streams = NAMES.map((n) => stream(pages[n], n, until));
      await sleep(BEFORE_KILL_MS);
      await cluster.servers[killed].kill();
      const killedAt = Date.now();

      // Back: the pages whose sockets went with the node (all of them when it held the room:
      // the others' gateways end the sockets piped to it) reconnected, every page is in the room
      // listing the three members present, and the room is whole on one live node.
      const reconnected = async () => {
        const seen = await Promise.all(NAMES.map((n) => statusesSeen(pages[n])));
        return NAMES.filter((_, k) => seen[k].includes('reconnecting'));
      };
      await expect.eventually(reconnected, (names) => names.length === (ofOwner ? 3 : 1),
        { what: ofOwner ? 'every page to reconnect' : 'the killed gateway\'s page to reconnect', timeout: 20000, interval: 100 });
      const back = async () => Promise.all(NAMES.map(async (n) => ({
        status: await pages[n].getByTestId('status-bar').getAttribute('data-status'),
        present: (await peerItems(pages[n])).filter((i) => !i.away).length,
      })));
      await expect.eventually(back, (all) => all.every((p) => p.status === 'in_room' && p.present === 3),
        { what: 'every page in the room with the three members present', timeout: GRACE_MS + 10000, interval: 200 });
      const backAfterMs = Date.now() - killedAt;
      await sleep(Math.max(AFTER_BACK_MS, killedAt + SEND_AFTER_KILL_MS - Date.now()));
      until.stopped = true;
      const counts = await Promise.all(streams);
      const sent = Object.fromEntries(NAMES.map((n, k) => [n, counts[k]]));

      const holder = await ownerIndex(cluster, live);
      expect.equal((await cluster.servers[holder].health()).members, 3, 'the room holds the three members');
      if (!ofOwner) expect.equal(holder, owner, 'the room stayed where it was');
      expect.equal((await Promise.all(live.map((i) => openSockets(cluster.servers[i])))).reduce((a, b) => a + b), 3,
        'the three sockets are on the live nodes');
      // A gateway's death is its own members' business: the others never noticed.
      expect.equal((await reconnected()).length, ofOwner ? 3 : 1, 'the pages that reconnected');
      // An owner's death: the gateways of the others ended the sockets piped to it (their
      // clients' pings would notice too, seconds later), Ben's and Cat's at least.
      const lost = await Promise.all(live.map((i) => nodeLost(cluster.servers[i])));
      expect.ok(ofOwner ? lost.reduce((a, b) => a + b) >= 2 : lost.every((n) => n === 0), `sockets closed as node_lost per live node: ${lost}`);
      for (const n of NAMES) {
        await linked(pages[n]);
        expect.equal(await selfId(pages[n]), ids[n], `${n} kept its peer id`);
        const items = await peerItems(pages[n]);
        expect.deepEqual(items.map((i) => i.id), NAMES.map((m) => ids[m]), `${n} lists the three members in join order`);
        expect.ok(items.every((i) => !i.away), `${n} lists nobody away`);
        expect.equal(items.find((i) => i.host)?.id, ids.Ann, `${n} sees Ann, who created the room, still host`);
      }
      // Every message from every other page, exactly once and in send order.
      for (const n of NAMES) {
        for (const other of NAMES.filter((o) => o !== n)) {
          const want = Array.from({ length: sent[other] }, (_, i) => `${other} #${i + 1}`);
          const texts = async () => (await chatMessages(pages[n])).filter((m) => !m.mine && m.text.startsWith(`${other} #`)).map((m) => m.text);
          // Waits for them all, then compares (a shortfall after the wait shows in the comparison).
          const got = await expect.eventually(texts, (g) => g.length >= want.length, { timeout: 15000 }).catch(() => texts());
          expect.deepEqual(got, want, `${n} got ${other}'s ${sent[other]} messages exactly once and in order`);
        }
      }
      // The client's WebSocket bridge sends nothing on a socket a gateway is closing (node_lost):
      // Chromium would log a line for it (cpp/wasm/websocket_bridge.cpp).
      for (const n of NAMES) {
        const problems = pages[n].problems.filter((p) => !/favicon/.test(p));
        expect.deepEqual(problems, [], `${n} had no page errors; its last lines: ${pages[n].logs.slice(-15).join(' | ')}`);
      }
      t.diagnostic(`node ${killed + 1} killed, the room on node ${holder + 1} after, every page back in ${backAfterMs} ms; ` +
        `messages sent ${JSON.stringify(sent)}`);
    });
  }
});
