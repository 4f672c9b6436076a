// Pages that embed an experience in <p2p-frame>, served at /embed by the test's own site
// (site.mjs): opening one for a member, and waiting until its experience sees the room.
import { newPage } from './browser.mjs';
import { expect } from './expect.mjs';
import { view } from './site.mjs';

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
