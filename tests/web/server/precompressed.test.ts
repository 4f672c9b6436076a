// @vitest-environment node
// What a browser downloads from the real huddle-server, after a build: every file the app page,
// an embedding page and an experience load comes as brotli or gzip when accepted (decoding to the
// file's exact bytes), as is when not; revalidation answers 304; only /assets/* is cached for
// good. And scripts/precompress.mjs, which writes the compressed copies at build time.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startServer, type RunningServer } from '../../support/huddle_server.mjs';

const dist = process.env.HUDDLE_STATIC_DIR ?? path.join(repoRoot, 'web/dist');
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request with node:http, which (unlike fetch) neither asks for nor decodes any coding. */
function request(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The built app's files the app page loads: its script and stylesheet, and the client's Wasm they fetch. */
function appPageAssets(): string[] {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const linked = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  return [...linked, ...assetsNamed(/^huddle_client-.*\.wasm$/)];
}

function assetsNamed(pattern: RegExp): string[] {
  return fs.readdirSync(path.join(dist, 'assets')).filter((f) => pattern.test(f)).map((f) => `/assets/${f}`);
}

describe('huddle-server serving the build', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const assets = appPageAssets();
  // And the room state's and game sync's modules, which a page fetches when it first uses each.
  const files = [...assets, '/huddle.js', '/p2p.js', ...assetsNamed(/^huddle_(state|game)-.*\.wasm$/)];
  // Served from the experiences directory, which the build precompresses in place.
  const experienceFile = '/experiences/draw/draw.js';
  const onDisk = (url: string) => fs.readFileSync(url.startsWith('/experiences/')
    ? path.join(repoRoot, url.slice(1)) : path.join(dist, url));

  it('finds the app page loading a script, a stylesheet and the Wasm', () => {
    expect(assets.filter((a) => a.endsWith('.js'))).toHaveLength(1);
    expect(assets.filter((a) => a.endsWith('.css'))).toHaveLength(1);
    expect(assets.filter((a) => a.endsWith('.wasm'))).toHaveLength(1);
  });

  it.each([...files, experienceFile])('sends %s as brotli, gzip or as is, as accepted', async (url) => {
    const original = onDisk(url);
    const identity = await request(server.origin + url);
    expect(identity.status).toBe(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toBe('Accept-Encoding');
    expect(identity.body.equals(original)).toBe(true);

    const br = await request(server.origin + url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe(identity.headers['content-type']);
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(original.length);
    expect(zlib.brotliDecompressSync(br.body).equals(original)).toBe(true);

    const gz = await request(server.origin + url, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toBe(identity.headers['content-type']);
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gz.body.length).toBeLessThan(original.length);
    expect(zlib.gunzipSync(gz.body).equals(original)).toBe(true);

    const refused = await request(server.origin + url, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.equals(original)).toBe(true);

    // Each coding has its own tag.
    expect(new Set([identity.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3);
  });

  it('caches only the content-hashed /assets/* for good; the rest is revalidated', async () => {
    for (const url of files) {
      const res = await request(server.origin + url, { 'accept-encoding': 'br' });
      expect(res.headers['cache-control'], url).toBe(url.startsWith('/assets/') ? IMMUTABLE : 'no-cache');
    }
    for (const url of ['/', '/r/ABCDEF', experienceFile, '/experiences/draw/']) {
      const res = await request(server.origin + url, { 'accept-encoding': 'br' });
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('answers a current copy with 304 and no body, and a stale one with the file', async () => {
    for (const url of ['/huddle.js', assets[0], experienceFile]) {
      const first = await request(server.origin + url, { 'accept-encoding': 'br' });
      const etag = first.headers.etag;
      expect(etag, url).toMatch(/^"[^"]+"$/); // strong
      for (const method of ['GET', 'HEAD']) {
        const again = await request(server.origin + url, { 'accept-encoding': 'br', 'if-none-match': `"x", ${etag}` }, method);
        expect(again.status, `${method} ${url}`).toBe(304);
        expect(again.body.length).toBe(0);
        expect(again.headers.etag).toBe(etag);
        expect(again.headers.vary).toBe('Accept-Encoding');
        expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
      }
      const stale = await request(server.origin + url, { 'accept-encoding': 'br', 'if-none-match': '"stale"' });
      expect(stale.status, url).toBe(200);
      expect(stale.body.equals(first.body)).toBe(true);
      // The brotli copy's tag does not stand for the gzip one.
      const gz = await request(server.origin + url, { 'accept-encoding': 'gzip', 'if-none-match': etag as string });
      expect(gz.status, url).toBe(200);
      expect(gz.headers['content-encoding']).toBe('gzip');
    }
  });

  it('sends HEAD the headers GET gets', async () => {
    const url = assets[0];
    const get = await request(server.origin + url, { 'accept-encoding': 'br' });
    const head = await request(server.origin + url, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of ['content-encoding', 'content-length', 'content-type', 'etag', 'vary', 'cache-control'])
      expect(head.headers[name], name).toBe(get.headers[name]);
  });

  it('sends the pages it rewrites uncompressed, with an ETag of their own', async () => {
    for (const url of ['/', '/r/ABCDEF', '/experiences/draw/']) {
      const page = await request(server.origin + url, { 'accept-encoding': 'br, gzip' });
      expect(page.status, url).toBe(200);
      expect(page.headers['content-encoding'], url).toBeUndefined();
      expect(page.headers.vary, url).toBeUndefined();
      expect(page.body.toString()).toMatch(url.startsWith('/experiences/') ? /<script src="\/p2p.js">/ : /og:title/);
      const again = await request(server.origin + url, { 'if-none-match': page.headers.etag as string });
      expect(again.status, url).toBe(304);
    }
  });
});

describe('scripts/precompress.mjs', () => {
  let dir: string;
  const run = () => execFileSync(process.execPath, [path.join(repoRoot, 'scripts/precompress.mjs'), dir], { encoding: 'utf8' });
  const exists = (name: string) => fs.existsSync(path.join(dir, name));
  const write = (name: string, data: string | Uint8Array) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), data);
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huddle-precompress-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes gzip and brotli copies that decode to the file, only where they are smaller', () => {
    const text = 'export const greeting = "hello";\n'.repeat(200);
    write('assets/app.js', text);
    write('tiny.txt', 'x');
    write('zeros.wasm', Buffer.alloc(4096));
    write('random.js', randomBytes(4096));
    write('logo.png', text); // compressible bytes, but not a type the server compresses
    run();
    expect(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'assets/app.js.gz'))).toString()).toBe(text);
    expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, 'assets/app.js.br'))).toString()).toBe(text);
    for (const name of ['tiny.txt', 'random.js', 'logo.png'])
      for (const suffix of ['.gz', '.br']) expect(exists(name + suffix), name + suffix).toBe(false);
  });

  it('leaves up-to-date copies alone and redoes or drops stale ones', () => {
    expect(run()).toMatch(/0 copies written/);
    // The file is rebuilt after its copies: they are stale.
    const later = new Date(Date.now() + 5000);
    write('assets/app.js', 'export const greeting = "bye";\n'.repeat(100));
    fs.utimesSync(path.join(dir, 'assets/app.js'), later, later);
    // The file no longer compresses: its old copies go.
    const hadCopies = exists('zeros.wasm.gz') && exists('zeros.wasm.br');
    write('zeros.wasm', randomBytes(4096));
    fs.utimesSync(path.join(dir, 'zeros.wasm'), later, later);
    run();
    const app = fs.readFileSync(path.join(dir, 'assets/app.js'), 'utf8');
    expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, 'assets/app.js.br'))).toString()).toBe(app);
    expect(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'assets/app.js.gz'))).toString()).toBe(app);
    expect(hadCopies).toBe(true);
    expect(exists('zeros.wasm.gz')).toBe(false);
    expect(exists('zeros.wasm.br')).toBe(false);
  });
});
