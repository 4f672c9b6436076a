// huddle.js loaded under a URL of the page's choosing (`/huddle.js?v=1`, as a page that busts
// caches with a query does): its file code, a chunk loaded at a page's first file, must work with
// the page's one copy of the library. The chunk imports nothing from huddle.js (the library hands
// it what it shares), so it cannot load a second copy under the plain URL, with a second Wasm
// fetch and a HuddleError class of its own. Also checked on what the server serves: huddle.js is
// one file, with no static import, and its file chunk imports nothing.
import { after, before, describe, test } from 'node:test';
import { expect } from './helpers/expect.mjs';
import { openRoom, receivedFiles, sendRandomFile, startLibrarySite } from './helpers/files.mjs';
import { startSiteAndServer, stopSiteAndServer } from './helpers/site.mjs';

const NAMES = ['ann', 'ben'];

/** The modules a script imports statically (`import … from "x"`, `import "x"`, `export … from "x"`). */
function staticImports(code) {
  const re = /\b(?:import|export)\s*(?:[\w$]+\s*,?\s*)?(?:\*\s*(?:as\s+[\w$]+\s*)?|\{[^}]*\}\s*)?(?:from\s*)?(["'`])([^"'`]+)\1/g;
  return [...code.matchAll(re)].map((m) => m[2]);
}

describe('huddle.js loaded as /huddle.js?v=1: the file code joins the page\'s copy', () => {
  let huddle;
  let site;
  let browser;

  before(async () => {
    ({ site, huddle, browser } = await startSiteAndServer((huddleOrigin) => startLibrarySite(huddleOrigin, { script: '/huddle.js?v=1' })));
  });

  after(() => stopSiteAndServer({ site, huddle, browser }));

  test('as served: huddle.js has no static import, and the file chunk it loads imports nothing', async () => {
    const entry = await (await fetch(`${huddle.origin}/huddle.js`)).text();
    expect.deepEqual(staticImports(entry), [], 'huddle.js imports nothing before the Wasm starts loading');
    const chunks = [...entry.matchAll(/import\(\s*["'`]\.\/(assets\/files-[\w-]+\.js)["'`]\s*\)/g)].map((m) => m[1]);
    expect.equal(chunks.length, 1, 'huddle.js loads one file chunk');
    const res = await fetch(`${huddle.origin}/${chunks[0]}`);
    expect.equal(res.status, 200);
    const chunk = await res.text();
    expect.deepEqual(staticImports(chunk), [], `${chunks[0]} imports nothing (not huddle.js under its plain URL)`);
    expect.ok(!chunk.includes('huddle.js'), `${chunks[0]} does not name huddle.js`);
  });

  test('a file arrives, each page fetched the library and its Wasm once, and file errors are the page\'s HuddleError', async () => {
    const session = `files_url_${Date.now().toString(36)}`;
    const pages = await openRoom(browser, site, huddle.origin, session, NAMES);
    const ids = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await pages[n].evaluate(() => window.room.selfId)])));

    // The first file loads the file code on both sides.
    const sent = await sendRandomFile(pages.ann, 300_000, 'first.bin');
    expect.deepEqual([sent.delivered, sent.failed], [[ids.ben], 0]);
    const [first] = await receivedFiles(pages.ben, 1, 'ben to get the first file');
    expect.deepEqual([first.error, first.name, first.blobSize, first.sha256], [null, 'first.bin', 300_000, sent.sha256]);

    // Errors the file code makes itself, now that it is there: a transfer cancelled by its sender,
    // and one the recipient cancels as it is offered (both sides end with file_cancelled).
    await pages.ben.evaluate(() => window.room.on('file', (incoming) => {
      if (incoming.name === 'refused.bin') incoming.cancel();
    }));
    const errors = await pages.ann.evaluate(async () => {
      const { HuddleError } = window.huddle;
      const describe = (err) => ({ code: err.code, huddleError: err instanceof HuddleError, error: err instanceof Error });
      const cancelled = window.room.sendFile(new Blob([new Uint8Array(1000)]), { name: 'cancelled.bin' });
      cancelled.cancel();
      const refused = window.room.sendFile(new Blob([new Uint8Array(100_000)]), { name: 'refused.bin' });
      return {
        cancelled: describe(await cancelled.done.then(() => null, (e) => e)),
        refused: describe(await refused.done.then(() => null, (e) => e)),
      };
    });
    expect.deepEqual(errors, {
      cancelled: { code: 'file_cancelled', huddleError: true, error: true },
      refused: { code: 'file_cancelled', huddleError: true, error: true },
    });
    const [, refused] = await receivedFiles(pages.ben, 2, 'ben to see the refused file end');
    expect.deepEqual([refused.name, refused.error, refused.huddleError], ['refused.bin', 'file_cancelled', true]);

    for (const [name, page] of Object.entries(pages)) {
      const paths = page.requests.map((u) => new URL(u)).filter((u) => u.origin === huddle.origin);
      const library = paths.filter((u) => u.pathname === '/huddle.js').map((u) => u.pathname + u.search);
      expect.deepEqual(library, ['/huddle.js?v=1'], `${name} fetched huddle.js once, by the page's URL`);
      expect.equal(paths.filter((u) => u.pathname.endsWith('.wasm')).length, 1, `${name} fetched the Wasm once`);
      expect.equal(paths.filter((u) => /^\/assets\/files-[\w-]+\.js$/.test(u.pathname)).length, 1, `${name} loaded the file code`);
      expect.deepEqual(page.problems, [], `${name}: no page errors`);
    }
    for (const page of Object.values(pages)) await page.context().close();
  });
});
