// P2P.state between two real headless Chromium pages: each embeds an experience (a srcdoc iframe)
// in <p2p-frame> on a page of another origin than huddle-server. Ann's experience writes; Ben's
// reads it synchronously with P2P.state.get and hears it once in onChange, from Ann; Ann heard her
// own write once, at once; a value that is not JSON throws P2PError data_invalid.
import { after, before, describe, test } from 'node:test';
import { openMembers, srcdocEmbedPage } from './helpers/experience.mjs';
import { expect } from './helpers/expect.mjs';
import { experience, startSite, startSiteAndServer, stopSiteAndServer } from './helpers/site.mjs';

const EXPERIENCE_SCRIPT = `
(function start() {
  if (!window.P2P) { setTimeout(start, 5); return; }  // the srcdoc loads once before p2p.js is put in front
  window.changes = [];
  P2P.state.onChange = (key, value, from) => window.changes.push([key, value, from]);
})();`;

describe('P2P.state between two pages', () => {
  let huddle;
  let site;
  let browser;
  const pages = {};
  const session = `p2pstate_${Date.now().toString(36)}`;

  before(async () => {
    ({ site, huddle, browser } = await startSiteAndServer(() => startSite(srcdocEmbedPage('p2p state', EXPERIENCE_SCRIPT))));
    Object.assign(pages, await openMembers(browser, site, huddle, session, ['ann', 'ben']));
  });

  after(() => stopSiteAndServer({ site, huddle, browser }));

  test('a write on one page is read on the other, and each hears it once, from the writer', async () => {
    const atOnce = await experience(pages.ann).evaluate(() => {
      P2P.state.set('title', { text: 'Friday plans', n: [1, 2] });
      return { got: P2P.state.get('title'), changes: window.changes.slice() };
    });
    expect.deepEqual(atOnce, {
      got: { text: 'Friday plans', n: [1, 2] },
      changes: [['title', { text: 'Friday plans', n: [1, 2] }, 'ann']],
    });
    await expect.eventually(() => experience(pages.ben).evaluate(() => P2P.state.get('title')),
      (v) => v?.text === 'Friday plans', { what: "Ben's P2P.state.get to see Ann's write" });
    // Time for an echo or a repeat to arrive, if one were coming.
    await new Promise((r) => setTimeout(r, 500));
    const ben = await experience(pages.ben).evaluate(() => ({ changes: window.changes, entries: P2P.state.entries() }));
    expect.deepEqual(ben, {
      changes: [['title', { text: 'Friday plans', n: [1, 2] }, 'ann']],
      entries: [['title', { text: 'Friday plans', n: [1, 2] }]],
    });
    expect.deepEqual(await experience(pages.ann).evaluate(() => window.changes.length), 1, 'Ann heard her own write once');
  });

  test('a delete reaches the other page; a value that is not JSON throws P2PError data_invalid and changes nothing', async () => {
    const refused = await experience(pages.ben).evaluate(() => {
      try {
        P2P.state.set('bad', { at: NaN });
        return null;
      } catch (err) {
        return { code: err.code, isP2PError: err instanceof P2P.P2PError, has: P2P.state.get('bad') !== undefined };
      }
    });
    expect.deepEqual(refused, { code: 'data_invalid', isP2PError: true, has: false });
    await experience(pages.ben).evaluate(() => P2P.state.delete('title'));
    await expect.eventually(() => experience(pages.ann).evaluate(() => window.changes.at(-1)),
      (c) => c?.[0] === 'title' && c[1] === undefined && c[2] === 'ben',
      { what: "Ann to hear Ben's delete" });
    expect.deepEqual(await experience(pages.ann).evaluate(() => P2P.state.entries()), []);
    for (const page of Object.values(pages)) expect.deepEqual(page.problems, [], 'no page errors');
  });
});
