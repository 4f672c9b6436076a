// Pages that use huddle.js as a library (no app, no <p2p-frame>) to send files, for the file
// transfer test (tests/e2e/files.test.mjs) and its benchmark (bench/file_transfer.mjs).
import { newPage } from './browser.mjs';
import { expect } from './expect.mjs';
import { startSite } from './site.mjs';

/**
 * A tiny site on another origin whose page imports huddle.js from `huddleOrigin` as `window.huddle`
 * (by `script`, its path there: `/huddle.js?v=1` for a page that busts caches with a query).
 * `huddleOrigin` may be a function, read at each request: then the site can start first and
 * huddle-server after it, with `--allowed-origins` naming the site (docs/security.md).
 */
export function startLibrarySite(huddleOrigin, { script = '/huddle.js' } = {}) {
  const page = () => `<!doctype html><meta charset="utf-8"><title>files</title>
<script type="module">
  import * as huddle from '${typeof huddleOrigin === 'function' ? huddleOrigin() : huddleOrigin}${script}';
  window.huddle = huddle;
</script>`;
  return startSite((url) => (url.pathname === '/' && !url.search ? page() : null));
}

/**
 * Opens one page per name, each joining room `session` (relay-only when asked), and waits until
 * every member reaches every other over `transport` ('direct' or 'relay'). The room is
 * `window.room` in each page; pages listen for files and keep what arrives in `window.files`.
 */
export async function openRoom(browser, site, huddleOrigin, session, names, { relayOnly = false, transport = 'direct' } = {}) {
  const pages = {};
  for (const name of names) {
    const page = await newPage(browser, name);
    await page.goto(site.origin);
    await page.waitForFunction(() => window.huddle);
    await page.evaluate(async ([server, code, name, relayOnly]) => {
      window.room = await window.huddle.joinRoom({ server, code, name, create: true, relayOnly });
      window.files = [];
      window.room.on('file', (incoming) => {
        const got = { from: incoming.from, name: incoming.name, size: incoming.size, progress: [], sha256: null, error: null };
        window.files.push(got);
        incoming.on('progress', ({ received, total }) => got.progress.push([received, total]));
        incoming.blob().then(async (blob) => {
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
          got.sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
          got.blobSize = blob.size;
        }, (err) => {
          got.error = err.code;
          got.huddleError = err instanceof window.huddle.HuddleError; // the page's own class
        });
      });
    }, [huddleOrigin, session, name, relayOnly]);
    pages[name] = page;
  }
  for (const [name, page] of Object.entries(pages)) {
    await expect.eventually(
      () => page.evaluate(() => window.room.peers().filter((p) => !p.isSelf).map((p) => p.transport)),
      (t) => t.length === names.length - 1 && t.every((x) => x === transport),
      { timeout: 20000, what: `${name} to reach everyone over ${transport}` },
    );
  }
  return pages;
}

/**
 * `page` sends `bytes` random bytes as one file to every other member and waits for `done`:
 * the file's SHA-256, what done resolved with, the progress seen, and the milliseconds from
 * sendFile to done (reading and hashing included).
 */
export function sendRandomFile(page, bytes, name = 'random.bin') {
  return page.evaluate(async ([bytes, name]) => {
    const data = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(bytes, i + 65536)));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
    const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    const progress = [];
    const started = performance.now();
    const transfer = window.room.sendFile(new Blob([data], { type: 'application/octet-stream' }), { name });
    transfer.on('progress', ({ sent, total }) => progress.push([sent, total]));
    const done = await transfer.done;
    return { sha256, delivered: done.delivered, failed: done.failed.length, progress, ms: performance.now() - started };
  }, [bytes, name]);
}

/** What `page` received (window.files), once `count` files are complete or failed. */
export async function receivedFiles(page, count, what) {
  return expect.eventually(() => page.evaluate(() => window.files),
    (files) => files.length >= count && files.every((f) => f.sha256 || f.error), { timeout: 30000, what });
}
