// <p2p-frame> on pages of ANOTHER origin than huddle-server (a small site served by this test),
// four ways of getting P2P into the iframe in one room: a srcdoc iframe (p2p.js put in front of
// the srcdoc), a same-origin src iframe (p2p.js inserted on load), a sandbox="allow-scripts"
// iframe (opaque origin) that includes p2p.js itself, and a sandboxed srcdoc iframe. The
// experience uses exactly P2P.send, sendTo, onMessage, getPeers and isConnected. Hostile sandboxed
// frames next to it forge hellos and send frames and must not reach the room. Then the server is
// killed: sends made while it is down arrive once it is back.
import { after, before, describe, test } from 'node:test';
import { newPage } from './helpers/browser.mjs';
import { embedUrl, openEmbed, waitForView } from './helpers/experience.mjs';
import { expect } from './helpers/expect.mjs';
import { attr, experience, frameOf, startSite, startSiteAndServer, stopSiteAndServer, view } from './helpers/site.mjs';
import { startServer } from '../support/huddle_server.mjs';

const MESSAGES_PER_PAGE = 5;
// Peer id → how its experience iframe is made; also the join order.
const MEMBERS = { ann: 'srcdoc', ben: 'src', cat: 'sandbox', dan: 'sandbox-srcdoc' };
const IDS = Object.keys(MEMBERS);

// The experience: records what arrives; the test drives sends through frame.evaluate.
const EXPERIENCE_SCRIPT = `
window.got = [];
(function start() {
  if (!window.P2P) { setTimeout(start, 5); return; }  // src iframes get P2P injected on load
  P2P.onMessage = (from, data) => window.got.push({ from, data });
})();`;

// A frame that is not the bridged one tries everything it can without same-origin access.
const HOSTILE_SCRIPT = `
window.answers = 0;
window.attack = () => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => { window.answers++; };
  parent.postMessage({ huddle: 'p2p-hello', v: 1 }, '*', [channel.port2]);
  channel.port1.postMessage({ t: 'send', data: 'forged via a port' });
  channel.port1.postMessage({ t: 'send_to', to: 'cat', data: 'forged via a port' });
  parent.postMessage({ t: 'send', data: 'forged via window' }, '*');
  // Ask every frame of the page for a fresh hello, as if it were the embedding page.
  for (let i = 0; i < parent.frames.length; i++) parent.frames[i].postMessage({ huddle: 'p2p-probe' }, '*');
};`;

function experienceFrame(mode, huddle) {
  const srcdoc = attr(`<script>${EXPERIENCE_SCRIPT}</script>`);
  if (mode === 'srcdoc') return `<iframe name="experience" srcdoc="${srcdoc}"></iframe>`;
  if (mode === 'sandbox-srcdoc') return `<iframe name="experience" sandbox="allow-scripts" srcdoc="${srcdoc}"></iframe>`;
  if (mode === 'src') return '<iframe name="experience" src="/experience.html"></iframe>';
  return `<iframe name="experience" sandbox="allow-scripts" src="/experience-sandboxed.html?huddle=${encodeURIComponent(huddle)}"></iframe>`;
}

function embedPage({ huddle, mode, session, peerId }) {
  const hostile = (name) => `<iframe name="${name}" sandbox="allow-scripts" srcdoc="${attr(`<script>${HOSTILE_SCRIPT}</script>`)}"></iframe>`;
  return `<!doctype html><meta charset="utf-8"><title>embed ${peerId}</title>
<script type="module" src="${huddle}/huddle.js"></script>
<p2p-frame session-id="${session}" peer-id="${peerId}" name="${peerId.toUpperCase()}">
  ${experienceFrame(mode, huddle)}
  ${hostile('hostile-inside')}
</p2p-frame>
${hostile('hostile-outside')}`;
}

/** The embedding site's pages: /embed (the <p2p-frame> page) and the experiences it can frame. */
function sitePage(url) {
  const huddle = url.searchParams.get('huddle');
  if (url.pathname === '/embed') {
    return embedPage({ huddle, mode: url.searchParams.get('mode'), session: url.searchParams.get('session'), peerId: url.searchParams.get('peer') });
  }
  if (url.pathname === '/experience.html') return `<!doctype html><title>experience</title><script>${EXPERIENCE_SCRIPT}</script>`;
  if (url.pathname === '/experience-sandboxed.html') {
    return `<!doctype html><title>experience</title><script src="${huddle}/p2p.js"></script><script>${EXPERIENCE_SCRIPT}</script>`;
  }
  return null;
}

const received = (page) => experience(page).evaluate(() => window.got);

describe('<p2p-frame> embedded on another origin', () => {
  let huddle;
  let site;
  let browser;
  const pages = {};
  const session = `session_${Date.now().toString(36)}`;

  async function open(peer) {
    const page = await openEmbed(browser, site, peer, { huddle: huddle.origin, mode: MEMBERS[peer], session, peer });
    pages[peer] = page;
    return page;
  }

  before(async () => {
    ({ site, huddle, browser } = await startSiteAndServer(() => startSite(sitePage)));
  });

  after(() => stopSiteAndServer({ site, huddle, browser }));

  test('the page origin differs from the server\'s: huddle.js, its Wasm and p2p.js load across origins', async () => {
    expect.ok(new URL(site.origin).origin !== new URL(huddle.origin).origin);
    const page = await open('ann');
    await waitForView(page, [], 'ann alone and connected');
    const bar = await page.evaluate(() => {
      const el = document.querySelector('p2p-frame');
      const part = (p) => el.shadowRoot.querySelector(`[part~="${p}"]`);
      return { state: part('state-text').textContent, count: part('count').textContent, share: el.room.shareUrl, self: el.room.selfId };
    });
    expect.deepEqual(bar, { state: 'connected', count: '1 member', share: `${huddle.origin}/r/${session}`, self: 'ann' });
  });

  test('getPeers() and isConnected() follow joins: srcdoc, same-origin src and sandboxed iframes', async () => {
    for (let i = 1; i < IDS.length; i++) {
      await open(IDS[i]);
      const present = IDS.slice(0, i + 1);
      for (const p of present) await waitForView(pages[p], present.filter((o) => o !== p), `${p} after ${IDS[i]} joined`);
    }
    const hosts = await Promise.all(IDS.map((p) => pages[p].evaluate(() =>
      [...document.querySelector('p2p-frame').shadowRoot.querySelectorAll('[part~="host"]')].map((li) => li.dataset.peerId))));
    expect.deepEqual(hosts, IDS.map(() => ['ann']), 'every bar marks ann as host');
  });

  test('hostile frames beside the experience cannot speak for it or break its bridge', async () => {
    for (const peer of IDS) {
      for (const name of ['hostile-inside', 'hostile-outside']) await frameOf(pages[peer], name).evaluate(() => window.attack());
    }
    // Proof that the real bridges still work, sent after the forgeries.
    await experience(pages.ann).evaluate(() => P2P.send('after the attack'));
    for (const peer of IDS.slice(1)) {
      await expect.eventually(() => received(pages[peer]), (got) => got.some((m) => m.data === 'after the attack'),
        { what: `${peer} to get ann's message` });
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const peer of IDS) {
      const forged = (await received(pages[peer])).filter((m) => String(m.data).startsWith('forged'));
      expect.deepEqual(forged, [], `${peer} got nothing forged`);
      for (const name of ['hostile-inside', 'hostile-outside']) {
        expect.equal(await frameOf(pages[peer], name).evaluate(() => window.answers), 0, `${peer}'s ${name} heard nothing back`);
      }
      expect.equal((await view(pages[peer])).connected, true, `${peer} is still connected`);
    }
  });

  test('a broadcast reaches every other member exactly once, in order', async () => {
    const peers = IDS;
    const before = Object.fromEntries(await Promise.all(peers.map(async (p) => [p, (await received(pages[p])).length])));
    for (let i = 1; i <= MESSAGES_PER_PAGE; i++) {
      for (const p of peers) await experience(pages[p]).evaluate(([from, n]) => P2P.send({ from, n }), [p, i]);
    }
    for (const p of peers) {
      const want = MESSAGES_PER_PAGE * (peers.length - 1);
      await expect.eventually(async () => (await received(pages[p])).slice(before[p]), (got) => got.length >= want,
        { timeout: 15000, what: `${p} to get ${want} broadcasts` });
    }
    await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up
    for (const p of peers) {
      const got = (await received(pages[p])).slice(before[p]);
      for (const other of peers.filter((o) => o !== p)) {
        const fromOther = got.filter((m) => m.from === other);
        expect.deepEqual(fromOther.map((m) => m.data), Array.from({ length: MESSAGES_PER_PAGE }, (_, k) => ({ from: other, n: k + 1 })),
          `${p} got ${other}'s broadcasts once each, in order`);
      }
      expect.equal(got.filter((m) => m.from === p).length, 0, `${p} does not hear itself`);
    }
  });

  test('sendTo reaches only its target', async () => {
    const counts = async () => Object.fromEntries(await Promise.all(IDS.map(async (p) => [p, (await received(pages[p])).length])));
    const before = await counts();
    await experience(pages.ben).evaluate(() => P2P.sendTo('cat', { secret: 'for cat' }));
    await experience(pages.cat).evaluate(() => P2P.sendTo('ann', { secret: 'for ann' }));
    await expect.eventually(() => received(pages.cat), (got) => got.some((m) => m.data.secret === 'for cat'), { what: 'cat\'s message' });
    await expect.eventually(() => received(pages.ann), (got) => got.some((m) => m.data.secret === 'for ann'), { what: 'ann\'s message' });
    await new Promise((r) => setTimeout(r, 300));
    const after = await counts();
    expect.deepEqual(Object.fromEntries(IDS.map((p) => [p, after[p] - before[p]])), { ann: 1, ben: 0, cat: 1, dan: 0 });
    expect.deepEqual((await received(pages.cat)).at(-1), { from: 'ben', data: { secret: 'for cat' } });
    expect.deepEqual((await received(pages.ann)).at(-1), { from: 'cat', data: { secret: 'for ann' } });
  });

  test('a member whose page goes away is away, not gone, and comes back to its place', async () => {
    await pages.ben.goto('about:blank');
    // Closing or leaving the page is not leaving the room: ben keeps his place for the grace period.
    await expect.eventually(() => experience(pages.ann).evaluate(() => P2P.getPeer('ben')?.isAway ?? null).catch(() => null),
      (away) => away === true, { timeout: 20000, what: 'ann to see ben away' });
    await waitForView(pages.ann, ['ben', 'cat', 'dan'], 'ann still lists ben, in his place');
    await pages.ben.goto(embedUrl(site, { huddle: huddle.origin, mode: 'src', session, peer: 'ben' }));
    await waitForView(pages.ben, ['ann', 'cat', 'dan'], 'ben back, seeing everyone');
    await expect.eventually(() => experience(pages.ann).evaluate(() => P2P.getPeer('ben')?.isAway ?? null).catch(() => null),
      (away) => away === false, { timeout: 20000, what: 'ann to see ben back' });
    await waitForView(pages.ann, ['ben', 'cat', 'dan'], 'ann sees ben back in his old place');
    await experience(pages.ben).evaluate(() => P2P.send('ben is back'));
    await expect.eventually(() => received(pages.cat), (got) => got.some((m) => m.data === 'ben is back'), { what: 'ben\'s message after coming back' });
  });

  test('sends made while the server is down are delivered, once and in order, and everyone comes back', async () => {
    const port = new URL(huddle.origin).port;
    const before = Object.fromEntries(await Promise.all(IDS.map(async (p) => [p, (await received(pages[p])).length])));
    await huddle.kill();
    for (const p of IDS) {
      await expect.eventually(() => view(pages[p]).catch(() => null), (v) => v?.connected === false,
        { timeout: 10000, what: `${p} to see the connection gone` });
    }
    for (let i = 1; i <= 3; i++) {
      for (const p of IDS) await experience(pages[p]).evaluate(([from, n]) => P2P.send({ from, n, down: true }), [p, i]);
    }
    await experience(pages.cat).evaluate(() => P2P.sendTo('dan', { secret: 'sent while down' }));
    huddle = await startServer(['--port', port, '--allowed-origins', site.origin]);
    for (const p of IDS) {
      await expect.eventually(() => view(pages[p]).catch(() => null),
        (v) => v?.connected === true && v.peers.length === IDS.length - 1, { timeout: 20000, what: `${p} back in the room` });
    }
    for (const p of IDS) {
      await expect.eventually(async () => (await received(pages[p])).slice(before[p]),
        (got) => got.filter((m) => m.data?.down).length >= 3 * (IDS.length - 1), { timeout: 15000, what: `${p} to get the sends made while down` });
    }
    await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up
    for (const p of IDS) {
      const got = (await received(pages[p])).slice(before[p]);
      for (const other of IDS.filter((o) => o !== p)) {
        expect.deepEqual(got.filter((m) => m.from === other && m.data?.down).map((m) => m.data.n), [1, 2, 3],
          `${p} got ${other}'s sends from the outage once each, in order`);
      }
    }
    const secrets = await Promise.all(IDS.map(async (p) => (await received(pages[p])).filter((m) => m.data?.secret === 'sent while down').length));
    expect.deepEqual(secrets, [0, 0, 0, 1], 'the sendTo made while down reached dan alone, once');
    const ids = await Promise.all(IDS.map((p) => experience(pages[p]).evaluate(() => P2P.getPeerId())));
    expect.deepEqual(ids, IDS, 'every member kept its peer id');
  });

  test('no page logged an error', () => {
    // Chromium logs each refused reconnect attempt while the server is down; that is expected.
    const problems = Object.values(pages).flatMap((p) => p.problems).filter((p) => !p.includes('net::ERR_CONNECTION_REFUSED'));
    expect.deepEqual(problems, []);
  });

  test('a page of an origin the server was not told about cannot open /ws; the allowed site can', async () => {
    const other = await startSite(sitePage);  // another port: another origin, not in --allowed-origins
    try {
      const wsUrl = `${huddle.origin.replace('http:', 'ws:')}/ws`;
      const tryOpen = (page) => page.evaluate((url) => new Promise((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => { ws.close(); resolve('open'); };
        ws.onclose = () => resolve('refused');
      }), wsUrl);
      const stranger = await newPage(browser, 'stranger');
      await stranger.goto(new URL('/experience.html', other.origin).href);  // any page of that origin will do
      expect.equal(await tryOpen(stranger), 'refused');
      const friend = await newPage(browser, 'friend');
      await friend.goto(new URL('/experience.html', site.origin).href);
      expect.equal(await tryOpen(friend), 'open');
      await Promise.all([stranger, friend].map((p) => p.context().close()));
    } finally {
      await other.stop();
    }
  });
});
