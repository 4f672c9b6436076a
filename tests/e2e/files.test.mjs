// File transfer between real Chromium pages that use huddle.js as a library, against a real
// huddle-server: a 5 MB file reaches two other members with the same SHA-256, over direct links
// and in a relay-only room, with progress reported on both sides.
import { after, before, describe, test } from 'node:test';
import { expect } from './helpers/expect.mjs';
import { openRoom, receivedFiles, sendRandomFile, startLibrarySite } from './helpers/files.mjs';
import { recordFigure } from './helpers/figures.mjs';
import { startSiteAndServer, stopSiteAndServer } from './helpers/site.mjs';

const FILE_BYTES = 5 * 1000 * 1000;
const NAMES = ['ann', 'ben', 'cat'];

describe('a 5 MB file to two other members', () => {
  let huddle;
  let site;
  let browser;

  before(async () => {
    ({ site, huddle, browser } = await startSiteAndServer(startLibrarySite));
  });

  after(() => stopSiteAndServer({ site, huddle, browser }));

  for (const { mode, relayOnly, transport } of [
    { mode: 'direct links', relayOnly: false, transport: 'direct' },
    { mode: 'a relay-only room', relayOnly: true, transport: 'relay' },
  ]) {
    test(`over ${mode}: same SHA-256 everywhere, progress on both sides`, async () => {
      const session = `files_${transport}_${Date.now().toString(36)}`;
      const pages = await openRoom(browser, site, huddle.origin, session, NAMES, { relayOnly, transport });
      const ids = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await pages[n].evaluate(() => window.room.selfId)])));

      const sent = await sendRandomFile(pages.ann, FILE_BYTES, 'five.bin');
      expect.deepEqual(sent.delivered.sort(), [ids.ben, ids.cat].sort(), 'done names both recipients');
      expect.equal(sent.failed, 0);
      expect.ok(sent.progress.length >= 10, `the sender saw progress (${sent.progress.length} events)`);
      expect.deepEqual(sent.progress.at(-1), [FILE_BYTES, FILE_BYTES]);
      expect.ok(sent.progress.every(([s], i) => i === 0 || s > sent.progress[i - 1][0]), 'sender progress only grows');

      for (const name of ['ben', 'cat']) {
        const [file] = await receivedFiles(pages[name], 1, `${name} to get the file`);
        expect.equal(file.error, null, `${name}: no error`);
        expect.deepEqual([file.from, file.name, file.size, file.blobSize], [ids.ann, 'five.bin', FILE_BYTES, FILE_BYTES]);
        expect.equal(file.sha256, sent.sha256, `${name} has the same SHA-256`);
        expect.ok(file.progress.length >= 10, `${name} saw progress (${file.progress.length} events)`);
        expect.deepEqual(file.progress.at(-1), [FILE_BYTES, FILE_BYTES]);
      }
      // Both recipients, so twice the file's bytes moved.
      recordFigure(`file transfer, 5 MB to 2 members over ${mode} (MB/s per member)`, Number((FILE_BYTES / 1e6 / (sent.ms / 1000)).toFixed(2)));
      for (const page of Object.values(pages)) {
        expect.deepEqual(page.problems, [], 'no page errors');
        await page.context().close();
      }
    });
  }
});
