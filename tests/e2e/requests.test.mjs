// Requests between two real headless Chromium pages. P2P.request: each page embeds an experience
// (a srcdoc iframe) in <p2p-frame> on a page of another origin than huddle-server; Ann asks Ben's
// experience, whose P2P.onRequest answers, throws, or is not set; the answer, request_failed with
// the thrown message, and no_handler come back to Ann's promise. room.request: pages that use
// huddle.js as a library, over direct links and in a relay-only room.
import { after, before, describe, test } from 'node:test';
import { openMembers, srcdocEmbedPage } from './helpers/experience.mjs';
import { expect } from './helpers/expect.mjs';
import { openRoom, startLibrarySite } from './helpers/files.mjs';
import { experience, startSite, startSiteAndServer, stopSiteAndServer } from './helpers/site.mjs';

const EXPERIENCE_SCRIPT = `
(function start() {
  if (!window.P2P) { setTimeout(start, 5); return; }  // the srcdoc loads once before p2p.js is put in front
  P2P.onRequest = async (from, data) => {
    if (data === 'throw') throw new Error('the handler threw on purpose');
    await new Promise((r) => setTimeout(r, 10));
    return { echo: data, from, by: P2P.getPeerId() };
  };
  window.ask = (to, data) => P2P.request(to, data).then(
    (answer) => ({ answer }),
    (err) => ({ code: err.code, message: err.message, isP2PError: err instanceof P2P.P2PError }));
})();`;

describe('P2P.request between two pages', () => {
  let huddle;
  let site;
  let browser;
  const pages = {};
  const session = `requests_${Date.now().toString(36)}`;

  before(async () => {
    ({ site, huddle, browser } = await startSiteAndServer(() => startSite(srcdocEmbedPage('requests', EXPERIENCE_SCRIPT))));
    Object.assign(pages, await openMembers(browser, site, huddle, session, ['ann', 'ben']));
  });

  after(() => stopSiteAndServer({ site, huddle, browser }));

  test('the other page’s P2P.onRequest answers, and the answer resolves P2P.request', async () => {
    const got = await experience(pages.ann).evaluate(() => window.ask('ben', { q: [1, 2, 3] }));
    expect.deepEqual(got, { answer: { echo: { q: [1, 2, 3] }, from: 'ann', by: 'ben' } });
    const back = await experience(pages.ben).evaluate(() => window.ask('ann', 'hello'));
    expect.deepEqual(back, { answer: { echo: 'hello', from: 'ben', by: 'ann' } });
  });

  test('a handler that throws rejects the request with request_failed and the thrown message', async () => {
    const got = await experience(pages.ann).evaluate(() => window.ask('ben', 'throw'));
    expect.deepEqual(got, { code: 'request_failed', message: 'the handler threw on purpose', isP2PError: true });
  });

  test('a page without a handler answers no_handler', async () => {
    await experience(pages.ben).evaluate(() => { P2P.onRequest = null; });
    const got = await experience(pages.ann).evaluate(() => window.ask('ben', 1));
    expect.equal(got.code, 'no_handler');
    for (const page of Object.values(pages)) expect.deepEqual(page.problems, [], 'no page errors');
  });
});

describe('room.request between two library pages', () => {
  let huddle;
  let site;
  let browser;

  before(async () => {
    ({ site, huddle, browser } = await startSiteAndServer(startLibrarySite));
  });

  after(() => stopSiteAndServer({ site, huddle, browser }));

  for (const { relayOnly, transport } of [{ relayOnly: false, transport: 'direct' }, { relayOnly: true, transport: 'relay' }]) {
    test(`over ${transport}: an answer, and a handler that throws`, async () => {
      const session = `requests_${transport}_${Date.now().toString(36)}`;
      const pages = await openRoom(browser, site, huddle.origin, session, ['ann', 'ben'], { relayOnly, transport });
      await pages.ben.evaluate(() => window.room.onRequest(async (from, data) => {
        if (data === 'throw') throw new Error('thrown in ben');
        return { twice: data * 2, from };
      }));
      const benId = await pages.ben.evaluate(() => window.room.selfId);
      const annId = await pages.ann.evaluate(() => window.room.selfId);
      const ask = (data) => pages.ann.evaluate(([to, data]) => window.room.request(to, data).then(
        (answer) => ({ answer }), (err) => ({ code: err.code, message: err.message })), [benId, data]);
      expect.deepEqual(await ask(21), { answer: { twice: 42, from: annId } });
      expect.deepEqual(await ask('throw'), { code: 'request_failed', message: 'thrown in ben' });
      for (const page of Object.values(pages)) {
        expect.deepEqual(page.problems, [], 'no page errors');
        await page.context().close();
      }
    });
  }
});
