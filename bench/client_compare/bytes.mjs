// What a browser downloads from huddle-server, as served: each page is loaded by Chromium in a fresh
// context (empty cache) and the response bodies it received from the huddle-server origin are
// summed as they came over the wire (Playwright's request.sizes(): encoded body bytes, so
// whatever compression the server applies counts). Three pages, as bench/sizes.sh has them:
// - the app page: http://<huddle-server>/ (the Preact app's lobby; it preloads the Wasm), and the
//   same page after creating a room from it (the app loads its room part when a join starts);
// - an embedding page on another origin: huddle.js and the Wasm (huddle.preload());
// - an experience iframe on another origin: an empty page with p2p.js.
// Next to that, what a browser that accepts gzip only gets: the .gz copies the build wrote next to
// the same files in web/dist (Zopfli, scripts/precompress.mjs; bench/sizes.sh's gzip column), or
// gzip -9 of a file without one.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { newPage } from '../../tests/e2e/helpers/browser.mjs';
import { repoRoot } from '../../tests/support/huddle_server.mjs';
import { kb, printTable } from './stats.mjs';

const dist = path.join(repoRoot, 'web/dist');
const assets = path.join(dist, 'assets');
const gzipSize = (file) => (fs.existsSync(`${file}.gz`)
  ? fs.statSync(`${file}.gz`).size : zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length);

/** The web/dist file a URL path of huddle-server serves ('/' is index.html), or null. */
function distFile(urlPath) {
  const file = path.join(dist, urlPath === '/' ? 'index.html' : urlPath);
  return file.startsWith(dist) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
}

/**
 * Loads a page with `load(page)`, waits until every request matching `needed` (URL path
 * suffixes) has finished and the network is quiet, and returns what came from `origin`:
 * [{path, encoding, body, headers}], body and headers in bytes as received.
 */
async function served(browser, origin, needed, load) {
  const page = await newPage(browser, 'bytes');
  const sizes = [];
  page.on('requestfinished', (req) => {
    if (!req.url().startsWith(origin)) return;
    sizes.push((async () => {
      const [res, s] = [await req.response(), await req.sizes()];
      return { path: new URL(req.url()).pathname, encoding: res?.headers()['content-encoding'] ?? '', body: s.responseBodySize, headers: s.responseHeadersSize };
    })());
  });
  const finished = Promise.all(needed.map((suffix) => page.waitForEvent('requestfinished', { predicate: (r) => new URL(r.url()).pathname.endsWith(suffix), timeout: 15000 })));
  finished.catch(() => {}); // when load() throws, that error is the one to report
  try {
    await load(page);
    await finished;
    await page.waitForLoadState('networkidle');
    return await Promise.all(sizes);
  } finally {
    await page.context().close();
  }
}

/** The other assets/*.js and *.css that `files` load when needed, directly or through each other (by name). */
function laterChunks(files, all) {
  const found = new Set();
  let frontier = files;
  while (frontier.length > 0) {
    const text = frontier.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    frontier = all.filter((f) => path.dirname(f) === assets && /\.(js|css)$/.test(f) && !files.includes(f) && !found.has(f) && text.includes(path.basename(f)));
    for (const f of frontier) found.add(f);
  }
  return [...found];
}

/** The dist files bench/sizes.sh counts for each page. */
function referenceFiles() {
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const all = walk(dist).filter((f) => /\.(js|css|html|wasm)$/.test(f));
  // The client module: the room state's and game sync's load at their first use, like the file code.
  const wasm = all.filter((f) => /^huddle_client-.*\.wasm$/.test(path.basename(f)));
  // The app page: index.html, what it names, the Wasm it preloads; in a room, the chunks it loads then.
  const index = path.join(dist, 'index.html');
  const named = [...fs.readFileSync(index, 'utf8').matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => path.join(dist, m[1]));
  const app = [index, ...named, ...wasm];
  const embed = [path.join(dist, 'huddle.js'), ...wasm];
  // Not the file code (files-*.js), the room state's or game sync's loader: each loads when a page
  // first sends a file, uses the state or starts a game, which neither creating a room nor an
  // embedding page's start does.
  const fileCode = (f) => /^(files|state_loader|game_loader)-.*\.js$/.test(path.basename(f));
  return {
    app,
    appRoom: [...app, ...laterChunks(named, all).filter((f) => !fileCode(f))],
    embed: [...embed, ...laterChunks(embed, all).filter((f) => !fileCode(f))],
    iframe: [path.join(dist, 'p2p.js')],
  };
}

/**
 * An empty page on another loopback origin, for the experience iframe (the library site's page
 * imports huddle.js; a page Playwright fulfils itself counts as public, and Chromium then refuses
 * it huddle-server on 127.0.0.1).
 */
function startBlankSite() {
  const server = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>experience</title>'));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    origin: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => server.close(r)),
  })));
}

/** Prints what each page downloads; returns {app, appRoom, embed, iframe}: {served, gzip} in bytes. */
export async function runBytes(browser, site, origin) {
  const blank = await startBlankSite();
  const pages = {
    app: ['the app page (/)', ['.wasm'], (p) => p.goto(`${origin}/`)],
    // The lobby page, then a room created from it: what the app loads when a join starts too.
    appRoom: ['the app page, then a room created from it', ['.wasm'], async (p) => {
      await p.goto(`${origin}/`);
      await p.getByTestId('name-input').fill('Bench');
      await p.getByTestId('create-button').click();
      await p.getByTestId('room-code').waitFor();
    }],
    embed: ['an embedding page (huddle.js + Wasm)', ['/huddle.js', '.wasm'], async (p) => {
      await p.goto(site.origin);
      await p.waitForFunction(() => window.huddle);
      await p.evaluate(() => window.huddle.preload());
    }],
    iframe: ['an experience iframe (p2p.js)', ['/p2p.js'], async (p) => {
      await p.goto(blank.origin);
      await p.evaluate((src) => new Promise((resolve, reject) => {
        const s = document.createElement('script');
        Object.assign(s, { src, onload: () => resolve(), onerror: () => reject(new Error(`${src} did not load`)) });
        document.head.append(s);
      }), `${origin}/p2p.js`);
    }],
  };
  const reference = referenceFiles();
  const out = {};
  const rows = [];
  try {
    for (const [key, [title, needed, load]] of Object.entries(pages)) {
      const files = await served(browser, origin, needed, load);
      const total = files.reduce((n, f) => n + f.body, 0);
      const gzip = reference[key].reduce((n, f) => n + gzipSize(f), 0);
      out[key] = { served: total, gzip, files };
      rows.push([title, '', kb(total), kb(files.reduce((n, f) => n + f.headers, 0)), kb(gzip)]);
      for (const f of files) {
        const file = distFile(f.path);
        rows.push([`  ${f.path}`, f.encoding || 'identity', kb(f.body), kb(f.headers), file ? kb(gzipSize(file)) : '']);
      }
    }
  } finally {
    await blank.stop();
  }
  console.log('\n== bytes each page downloads from huddle-server, as served to Chromium (KB = 1024 bytes)');
  printTable(['page / file', 'encoding', 'body as served', 'headers', 'gzip copy in dist'], rows, { left: [0, 1] });
  return out;
}
