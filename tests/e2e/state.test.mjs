// The room state between real headless Chromium pages that use huddle.js as a library, over
// direct links and the relay: four pages write the same and different keys at once and end with
// one document; a late joiner sees all of it; the host's page is killed mid-writes and the
// document lives on with the next host, every write of the pages still there in it. The room
// state is a Wasm module of its own, which each page loads when it first uses the state.
import { after, before, describe, test } from 'node:test';
import { newPage } from './helpers/browser.mjs';
import { expect } from './helpers/expect.mjs';
import { openRoom, startLibrarySite } from './helpers/files.mjs';
import { startSiteAndServer, stopSiteAndServer } from './helpers/site.mjs';

const GRACE_MS = 1500;

/** Each page's document, as [key, value] pairs in key order. */
const documents = (pages) => Promise.all(pages.map((p) => p.evaluate(() => window.room.state.entries())));
const same = (docs) => docs.every((d) => JSON.stringify(d) === JSON.stringify(docs[0]));

/** `page` writes `count` keys of its own and the shared key, each in its own turn. */
function writeMany(page, prefix, count) {
  return page.evaluate(async ([prefix, count]) => {
    for (let i = 0; i < count; i++) {
      window.room.state.set(`${prefix}/${i}`, { i, by: prefix });
      window.room.state.set('shared', `${prefix} ${i}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }, [prefix, count]);
}

describe('room.state between pages', () => {
  let huddle;
  let site;
  let browser;

  before(async () => {
    ({ site, huddle, browser } = await startSiteAndServer(startLibrarySite, ['--member-grace-ms', String(GRACE_MS)]));
  });

  after(() => stopSiteAndServer({ site, huddle, browser }));

  for (const { relayOnly, transport } of [{ relayOnly: false, transport: 'direct' }, { relayOnly: true, transport: 'relay' }]) {
    test(`over ${transport}: four pages converge, and a late joiner gets the whole document`, async () => {
      const session = `state_${transport}_${Date.now().toString(36)}`;
      const names = ['ann', 'ben', 'cy', 'dee'];
      const pages = await openRoom(browser, site, huddle.origin, session, names, { relayOnly, transport });
      const all = names.map((n) => pages[n]);
      await Promise.all(names.map((n) => writeMany(pages[n], n, 25)));
      const docs = await expect.eventually(() => documents(all), (d) => same(d) && d[0].length === 4 * 25 + 1,
        { timeout: 20000, what: 'every page to hold the same 101 keys' });
      const doc = Object.fromEntries(docs[0]);
      for (const n of names) {
        for (let i = 0; i < 25; i++) expect.deepEqual(doc[`${n}/${i}`], { i, by: n });
      }
      expect.ok(names.some((n) => doc.shared === `${n} 24`), `the shared key holds someone's last write: ${doc.shared}`);

      // A late joiner: the document arrives as changes, each key once, before later writes.
      const late = await newPage(browser, 'eve');
      await late.goto(site.origin);
      await late.waitForFunction(() => window.huddle);
      await late.evaluate(async ([server, code]) => {
        window.room = await window.huddle.joinRoom({ server, code, name: 'eve' });
        window.changes = [];
        window.room.state.on('change', (c) => window.changes.push(c.key)); // listening takes part
      }, [huddle.origin, session]);
      await expect.eventually(() => late.evaluate(() => window.changes.length), (n) => n === 101,
        { timeout: 20000, what: 'eve to get the document, each key once' });
      await pages.ben.evaluate(() => window.room.state.set('after eve', true));
      const seen = await expect.eventually(() => late.evaluate(() => window.changes), (c) => c.includes('after eve'),
        { timeout: 20000, what: 'eve to see the change made after she came' });
      expect.equal(seen.at(-1), 'after eve');
      expect.equal(new Set(seen).size, seen.length, 'each key once');
      expect.deepEqual(await late.evaluate(() => window.room.state.entries()), (await documents([pages.ann]))[0]);
      for (const page of [...all, late]) {
        expect.deepEqual(page.problems, [], 'no page errors');
        await page.context().close();
      }
    });
  }

  test('the host\'s page is killed mid-writes: the next host keeps the document', async () => {
    const session = `state_host_${Date.now().toString(36)}`;
    const names = ['ann', 'ben', 'cy', 'dee'];
    const pages = await openRoom(browser, site, huddle.origin, session, names);
    const annId = await pages.ann.evaluate(() => window.room.selfId);
    expect.equal(await pages.ben.evaluate(() => window.room.hostId()), annId, 'ann is host');
    await Promise.all(names.map((n) => writeMany(pages[n], n, 10)));
    await expect.eventually(() => documents(names.map((n) => pages[n])), (d) => same(d) && d[0].length === 41,
      { timeout: 20000, what: 'every page to hold the first writes' });
    // More writes from everyone, and ann's page dies in the middle of them.
    const writing = ['ben', 'cy', 'dee'].map((n) => writeMany(pages[n], `${n}-2`, 40));
    const dying = writeMany(pages.ann, 'ann-2', 40).catch(() => 'closed');
    await new Promise((r) => setTimeout(r, 30));
    await pages.ann.context().close();
    await Promise.all([...writing, dying]);
    const rest = ['ben', 'cy', 'dee'].map((n) => pages[n]);
    await expect.eventually(() => rest[0].evaluate(() => window.room.hostId()), (h) => h && h !== annId,
      { timeout: GRACE_MS + 10000, what: 'a new host' });
    const docs = await expect.eventually(() => documents(rest), (d) => same(d) && d[0].length >= 41 + 3 * 40,
      { timeout: 20000, what: 'the others to agree again' });
    const doc = Object.fromEntries(docs[0]);
    for (const n of ['ben', 'cy', 'dee']) {
      for (let i = 0; i < 40; i++) expect.deepEqual(doc[`${n}-2/${i}`], { i, by: `${n}-2` }, `${n}'s write ${i}`);
    }
    for (const n of names) {
      for (let i = 0; i < 10; i++) expect.deepEqual(doc[`${n}/${i}`], { i, by: n }, `${n}'s early write ${i}`);
    }
    // The document goes on under the new host.
    await pages.ben.evaluate(() => window.room.state.set('under the new host', 1));
    await expect.eventually(() => documents(rest), (d) => same(d) && Object.fromEntries(d[0])['under the new host'] === 1,
      { timeout: 20000, what: 'a write under the new host to reach everyone' });
    for (const page of rest) {
      expect.deepEqual(page.problems, [], 'no page errors');
      await page.context().close();
    }
  });
});
