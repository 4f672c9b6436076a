// Signed join tokens in real browsers (issue 13, hole 6): a site embeds <p2p-frame token="…"> with
// tokens minted by `huddle-server token` (the command docs/tokens.md ships for scripts), on another
// origin than huddle-server, which runs with --auth-secret and a long grace period. A person who
// opens the page again in a new tab while the first is still open (no resume token there: it
// lives in the first tab's sessionStorage) takes the place over with the token instead of getting
// peer_id_taken; the other member sees one member with that id, and messages reach the new tab.
// The same page without a token is refused with token_required.
import { after, before, describe, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { openEmbed, waitForView } from './helpers/experience.mjs';
import { expect } from './helpers/expect.mjs';
import { attr, experience, startSite, startSiteAndServer, stopSiteAndServer } from './helpers/site.mjs';
import { serverBinary } from '../support/huddle_server.mjs';

const SECRET = 'e2e-secret-that-is-at-least-32-bytes-long';
const ROOM = 'standup-42';

const mint = (peer, name) => execFileSync(serverBinary,
  ['token', '--room', ROOM, '--peer', peer, '--name', name, '--expires-in', '15m', '--auth-secret', SECRET],
  { encoding: 'utf8' }).trim();

// The experience records what arrives; the test sends through frame.evaluate.
const EXPERIENCE = `<script>
window.got = [];
(function start() {
  if (!window.P2P) { setTimeout(start, 5); return; }
  P2P.onMessage = (from, data) => window.got.push({ from, data });
})();
</script>`;

function embedPage({ huddle, token, peer }) {
  const who = token ? `token="${attr(token)}"` : `session-id="${ROOM}" peer-id="${attr(peer)}"`;
  return `<!doctype html><meta charset="utf-8"><title>embed</title>
<script>window.errors = []; addEventListener('p2p-error', (e) => errors.push(e.detail.code));</script>
<script type="module" src="${huddle}/huddle.js"></script>
<p2p-frame ${who}><iframe name="experience" srcdoc="${attr(EXPERIENCE)}"></iframe></p2p-frame>`;
}

/** The embedding site's one page: /embed?huddle=…&token=… (or &peer=…). */
function sitePage(url) {
  if (url.pathname !== '/embed') return null;
  const q = url.searchParams;
  return embedPage({ huddle: q.get('huddle'), token: q.get('token'), peer: q.get('peer') });
}

// What the page's <p2p-frame> says about its room (null before it has one).
const roomOf = (page) => page.evaluate(() => {
  const room = document.querySelector('p2p-frame').room;
  return room ? { self: room.selfId, status: room.status() } : null;
});

describe('<p2p-frame token> with huddle-server --auth-secret', () => {
  let huddle;
  let site;
  let browser;

  const open = (label, params) => openEmbed(browser, site, label, { huddle: huddle.origin, ...params });

  before(async () => {
    ({ site, huddle, browser } = await startSiteAndServer(() => startSite(sitePage), ['--auth-secret', SECRET, '--member-grace-ms', '30000']));
  });

  after(() => stopSiteAndServer({ site, huddle, browser }));

  test('a new tab with the token takes the place over from the open one; no token is token_required', async () => {
    const ben = await open('ben', { token: mint('ben', 'Ben') });
    const first = await open('ann-tab-1', { token: mint('user_42', 'Ann') });
    await waitForView(ben, ['user_42'], 'Ben to see user_42');
    expect.deepEqual((await roomOf(first)).self, 'user_42');

    // The same person, a new tab (its own sessionStorage: no resume token), a freshly minted token.
    const second = await open('ann-tab-2', { token: mint('user_42', 'Ann') });
    await expect.eventually(() => roomOf(second).catch(() => null),
      (r) => r?.self === 'user_42' && r.status === 'in_room', { timeout: 20000, what: 'the new tab in the room as user_42' });
    await expect.eventually(() => roomOf(first).catch(() => null),
      (r) => r?.status === 'offline', { timeout: 20000, what: 'the first tab to stop (session_replaced)' });
    // Ben still sees one user_42, and what he sends it reaches the new tab.
    await waitForView(ben, ['user_42'], 'Ben to see user_42 once');
    await expect.eventually(async () => {
      await experience(ben).evaluate(() => P2P.sendTo('user_42', 'hello again'));
      return experience(second).evaluate(() => window.got);
    }, (got) => got.some((m) => m.from === 'ben' && m.data === 'hello again'), { timeout: 20000, what: 'Ben’s message in the new tab' });

    // Without a token, the id and the named room cannot be taken: the page says why.
    const eve = await open('eve', { peer: 'user_42' });
    await expect.eventually(() => eve.evaluate(() => window.errors), (codes) => codes.includes('token_required'),
      { timeout: 20000, what: 'token_required on the page without a token' });
    const shown = await eve.evaluate(() => {
      const part = document.querySelector('p2p-frame').shadowRoot.querySelector('[part~="error"]');
      return { text: part.textContent, hidden: part.hidden };
    });
    expect.ok(!shown.hidden && shown.text.length > 0, `the bar shows the error: ${JSON.stringify(shown)}`);
  });
});
