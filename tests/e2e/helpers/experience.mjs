// Pages that embed an experience in <p2p-frame>, served at /embed by the test's own site
// (site.mjs): opening one for a member, and waiting until its experience sees the room.
import { newPage } from './browser.mjs';
import { expect } from './expect.mjs';
import { attr, view } from './site.mjs';

/** The address of `site`'s /embed page with `params` as its query (huddle-server's origin, who joins, …). */
export function embedUrl(site, params) {
  const url = new URL('/embed', site.origin);
  url.search = new URLSearchParams(params).toString();
  return url.href;
}

/** A new page of `browser` (console errors kept under `label`) at `site`'s /embed page with `params`. */
export async function openEmbed(browser, site, label, params) {
  const page = await newPage(browser, label);
  await page.goto(embedUrl(site, params));
  return page;
}

/** Waits until `page`'s experience is connected and sees exactly `peers` (peer ids, in that order). */
export async function waitForView(page, peers, what) {
  await expect.eventually(() => view(page).catch(() => null),
    (v) => v?.connected === true && JSON.stringify(v.peers) === JSON.stringify(peers), { timeout: 20000, what });
}

/**
 * A page for startSite (site.mjs): /embed, a <p2p-frame> joining the query's `session` as `peer`
 * (named in capitals), loading huddle.js from the query's `huddle` origin, around a srcdoc
 * experience that runs `script`.
 */
export function srcdocEmbedPage(title, script) {
  return (url) => {
    if (url.pathname !== '/embed') return null;
    const q = (k) => attr(url.searchParams.get(k) ?? '');
    return `<!doctype html><meta charset="utf-8"><title>${attr(title)} ${q('peer')}</title>
<script type="module" src="${q('huddle')}/huddle.js"></script>
<p2p-frame session-id="${q('session')}" peer-id="${q('peer')}" name="${q('peer').toUpperCase()}">
  <iframe name="experience" srcdoc="${attr(`<script>${script}</script>`)}"></iframe>
</p2p-frame>`;
  };
}

/**
 * Opens one /embed page per peer id in `peers` (all in `session`, against `huddle`), and waits
 * until each one's experience sees all the others. Returns the pages by peer id.
 */
export async function openMembers(browser, site, huddle, session, peers) {
  const pages = {};
  for (const peer of peers) pages[peer] = await openEmbed(browser, site, peer, { huddle: huddle.origin, session, peer });
  for (const peer of peers) {
    const others = peers.filter((p) => p !== peer);
    await waitForView(pages[peer], others, `${peer} to see ${others.join(', ')}`);
  }
  return pages;
}
