// The shipped experiences where no direct link is made: each member's <p2p-frame> joins a
// relay-only room (a join token that says so, minted by huddle-server itself; docs/tokens.md), so
// every message, room state frame and game frame goes through the server. Draw's strokes (the room
// state) reach every board and a late joiner; Pong's game sync keeps ticks coming, carries a
// member's input and Start to the host, and hands the game over when the host leaves.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { newPage } from './helpers/browser.mjs';
import { expect } from './helpers/expect.mjs';
import { attr, startSite, startSiteAndServer, stopSiteAndServer } from './helpers/site.mjs';
import { repoRoot, serverBinary } from '../support/huddle_server.mjs';

const SECRET = 'relay-experiences-secret-at-least-32-bytes';
const MIN_TICKS_PER_SECOND = 20; // the host sends 60; a loaded CI machine still manages 20
const GRACE_MS = 1500;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The site's page: <p2p-frame token> around a shipped experience served by huddle-server. */
function embedPage(url) {
  if (url.pathname !== '/embed') return null;
  const q = (k) => attr(url.searchParams.get(k) ?? '');
  return `<!doctype html><meta charset="utf-8"><title>${q('experience')} over the relay</title>
<style>iframe { display: block; width: 720px; height: 560px; border: 0; }</style>
<script type="module" src="${q('huddle')}/huddle.js"></script>
<p2p-frame token="${q('token')}"><iframe src="${q('huddle')}/experiences/${q('experience')}/"></iframe></p2p-frame>`;
}

describe('shipped experiences in a relay-only room', () => {
  let huddle;
  let site;
  let browser;
  const everyone = [];
  const stamp = Date.now().toString(36);

  before(async () => {
    ({ site, huddle, browser } = await startSiteAndServer(() => startSite(embedPage),
      ['--experiences-dir', path.join(repoRoot, 'experiences'), '--auth-secret', SECRET, '--member-grace-ms', String(GRACE_MS)]));
  });

  after(async () => {
    expect.deepEqual(everyone.flatMap((p) => p.problems), [], 'no page logged an error');
    await stopSiteAndServer({ site, huddle, browser });
  });

  /** A member of `room` with peer id `peer`, its page's <p2p-frame> joined by a relay-only token. */
  async function join(experience, room, peer) {
    const token = execFileSync(serverBinary, ['token', '--room', room, '--peer', peer, '--name', peer, '--expires-in', '10m',
      '--auth-secret', SECRET, '--relay-only'], { encoding: 'utf8' }).trim();
    const page = await newPage(browser, `${experience}:${peer}`);
    everyone.push(page);
    const url = new URL('/embed', site.origin);
    url.search = new URLSearchParams({ huddle: huddle.origin, experience, token }).toString();
    await page.goto(url.href);
    const frame = await (await page.waitForSelector('p2p-frame iframe', { state: 'attached' })).contentFrame();
    return { page, frame, id: peer };
  }

  /** Waits until every member sees every other, each through the relay. */
  async function allRelayed(members) {
    for (const m of members) {
      await expect.eventually(() => m.frame.evaluate(() => (window.huddleDraw || window.huddlePong) && P2P.isConnected()
        ? P2P.getPeers().map((id) => P2P.getPeer(id)?.transport) : null).catch(() => null),
      (t) => t?.length === members.length - 1 && t.every((x) => x === 'relay'), { timeout: 20000, what: `${m.id} to reach the others through the relay` });
    }
  }

  test('draw: strokes reach every board, and a late joiner gets them', async () => {
    const room = `draw_relay_${stamp}`;
    const ann = await join('draw', room, `annd${stamp}`);
    const ben = await join('draw', room, `bend${stamp}`);
    await allRelayed([ann, ben]);
    const count = (m) => m.frame.evaluate(() => huddleDraw.strokeCount());
    await ann.frame.evaluate(() => huddleDraw.drawStroke([[0.1, 0.2], [0.9, 0.2]], '#e11d48'));
    await ben.frame.evaluate(() => huddleDraw.drawStroke([[0.1, 0.8], [0.9, 0.8]], '#2563eb'));
    for (const m of [ann, ben]) await expect.eventually(() => count(m), (n) => n === 2, { what: `${m.id} to have both strokes` });
    const cat = await join('draw', room, `catd${stamp}`);
    await allRelayed([ann, ben, cat]);
    await expect.eventually(() => count(cat), (n) => n === 2, { what: 'the late joiner to get both strokes' });
    await sleep(200); // room for a duplicate to show up
    for (const m of [ann, ben, cat]) expect.equal(await count(m), 2, `${m.id} has exactly 2 strokes`);
    for (const m of [ann, ben, cat]) await m.page.context().close();
  });

  test('pong: ticks, inputs and Start go through the relay, and the next host carries the game on', async () => {
    const room = `pong_relay_${stamp}`;
    const members = [];
    for (const name of ['ann', 'ben', 'cat']) {
      members.push(await join('pong', room, `${name}p${stamp}`));
      await allRelayed(members);
    }
    const [host, ben, cat] = members;
    const state = (m) => m.frame.evaluate(() => huddlePong.state());
    await expect.eventually(() => state(ben), (s) => s.hostId === host.id && Object.keys(s.players).length === 3, { what: 'ben to see the host and 3 players' });
    const rate = async (m) => {
      const n0 = await m.frame.evaluate(() => huddlePong.ticksReceived());
      await sleep(2000);
      return ((await m.frame.evaluate(() => huddlePong.ticksReceived())) - n0) / 2;
    };
    for (const m of [ben, cat]) {
      const r = await rate(m);
      expect.ok(r >= MIN_TICKS_PER_SECOND, `${m.id} received ${r} ticks/s through the relay`);
    }
    // A member's input moves its paddle at the host; its Start starts the game everywhere.
    const paddleAtHost = () => host.frame.evaluate((id) => huddlePong.state().players[id]?.paddle, ben.id);
    const before = await paddleAtHost();
    await ben.frame.evaluate(() => huddlePong.setInput(1));
    await expect.eventually(() => host.frame.evaluate((id) => huddlePong.inputOf(id), ben.id), (i) => i?.d !== undefined && i.d !== 0,
      { timeout: 2000, what: "ben's input at the host" });
    await expect.eventually(paddleAtHost, (p) => Math.abs(p - before) >= 0.05, { timeout: 2000, what: "ben's paddle to move at the host" });
    await ben.frame.evaluate(() => huddlePong.setInput(0));
    await ben.frame.click('#start');
    for (const m of members) await expect.eventually(() => state(m), (s) => s.running, { timeout: 5000, what: `the game running for ${m.id}` });
    // The host leaves: ben hosts, the game goes on from where it was.
    const tickBefore = (await state(cat)).tick;
    await host.page.evaluate(() => document.querySelector('p2p-frame')?.remove());
    await host.page.context().close();
    await expect.eventually(() => state(cat), (s) => s.hostId === ben.id && s.tick > tickBefore && s.running,
      { timeout: 15000, what: 'ben to host and the game to go on for cat' });
    const r = await rate(cat);
    expect.ok(r >= MIN_TICKS_PER_SECOND, `cat received ${r} ticks/s from the new host`);
    for (const m of [ben, cat]) await m.page.context().close();
  });
});
