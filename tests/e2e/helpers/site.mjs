// The small site an embedding test serves itself, on another origin than huddle-server (another
// port on 127.0.0.1); the site, huddle-server and the browser started and stopped together; and
// the way into the experience iframe the site's pages hold.
import http from 'node:http';
import { startServer } from '../../support/huddle_server.mjs';
import { launchBrowser } from './browser.mjs';

/** `s` safe inside a double-quoted HTML attribute (a srcdoc, a query value). */
export const attr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Serves `pageFor(url)` (the request's URL, parsed) as HTML, or 404 where it gives null;
 * /favicon.ico is a quiet 204. Resolves with `{ origin, stop }` once listening.
 */
export function startSite(pageFor) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://site');
    const body = pageFor(url);
    if (body == null) {
      res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    origin: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => server.close(r)),
  })));
}

/**
 * Starts the site first (`makeSite(huddleOrigin)`; `huddleOrigin()` gives huddle-server's origin
 * once it runs), then huddle-server with `--allowed-origins` naming the site (it lets a page open
 * /ws only when told its origin; docs/security.md) and `serverArgs`, then the browser. Resolves
 * with `{ site, huddle, browser }`; when one fails to start, stops those already started.
 */
export async function startSiteAndServer(makeSite, serverArgs = []) {
  const started = {};
  try {
    started.site = await makeSite(() => started.huddle.origin);
    started.huddle = await startServer(['--allowed-origins', started.site.origin, ...serverArgs]);
    started.browser = await launchBrowser();
    return started;
  } catch (err) {
    await stopSiteAndServer(started);
    throw err;
  }
}

/** Closes the browser, the site and huddle-server, whichever of them there are. */
export async function stopSiteAndServer({ site, huddle, browser }) {
  await browser?.close();
  await site?.stop();
  await huddle?.stop();
}

/** The frame named `name` in `page`; throws when there is none. */
export const frameOf = (page, name) => {
  const frame = page.frames().find((f) => f.name() === name);
  if (!frame) throw new Error(`no frame ${name}`);
  return frame;
};

/** The experience iframe (name="experience") of an embedding page. */
export const experience = (page) => frameOf(page, 'experience');

/**
 * What the experience's P2P global says: `{ connected, peers }` (the other members' peer ids).
 * Async so that a page whose iframe is not there yet rejects (callers poll with .catch) rather
 * than throwing before a promise exists.
 */
export const view = async (page) => experience(page).evaluate(() => ({ connected: P2P.isConnected(), peers: P2P.getPeers() }));
