// Locked rooms in the app, against a real server (docs/protocol.md "Room passwords"): "only people
// with the link" puts a secret in the share link's fragment (never in a request), and the link
// alone lets people in; a room with a typed password asks a person who came without it for it
// (a field with focus, a clear message on a wrong one), at a desktop and a phone size, light and
// dark, with screenshots in build/screenshots (password-*.png).
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage } from './helpers/browser.mjs';
import { startServer } from '../support/huddle_server.mjs';
import { createRoom, expect, joinByLink, openLobby, waitForMesh } from './helpers/app.mjs';
import { axeFailures } from './helpers/axe.mjs';
import { DESKTOP, PHONE, snap, useScheme } from './helpers/ui.mjs';

/** Where the element is and whether it has focus, and whether the page overflows sideways. */
async function fieldShown(page, testid) {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    const r = el?.getBoundingClientRect();
    return {
      present: Boolean(el),
      inViewport: Boolean(r) && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
      focused: document.activeElement === el,
      overflow: document.documentElement.scrollWidth > innerWidth + 1,
    };
  }, testid);
}

async function lobbyError(page) {
  const el = page.getByTestId('lobby-error');
  await el.waitFor();
  return (await el.innerText()).trim();
}

describe('locked rooms in the app', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('"only people with the link": the link carries a secret in its fragment, and the link alone gets in', async () => {
    const ann = await newPage(browser, 'Ann', { viewport: DESKTOP });
    await openLobby(ann, server.origin, 'Ann');
    await ann.getByTestId('access-select').selectOption('link');
    await ann.getByTestId('link-only-hint').waitFor();
    await snap(ann, 'password-create-link-desktop');
    const { code, link } = await createRoom(ann);
    const url = new URL(link);
    expect.equal(url.pathname, `/r/${code}`);
    expect.equal(url.search, '', 'nothing in the query');
    const secret = new URLSearchParams(url.hash.slice(1)).get('k');
    expect.ok(/^[A-Za-z0-9_-]{22}$/.test(secret ?? ''), `a 128-bit secret in the fragment: ${url.hash}`);
    await ann.getByTestId('password-note').waitFor();
    expect.ok(ann.url().endsWith(`#k=${secret}`), `the address bar keeps the link: ${ann.url()}`);

    const ben = await newPage(browser, 'Ben', { viewport: PHONE, colorScheme: 'dark' });
    await joinByLink(ben, link, 'Ben');
    await waitForMesh(ben, 2);
    await ben.getByTestId('password-note').waitFor();
    const leaked = [...ann.requests, ...ben.requests].filter((u) => u.includes(secret));
    expect.deepEqual(leaked, [], 'no request carries the secret');
    await snap(ben, 'password-room-phone-dark');

    // The code without the link's key: asked for a password, like any locked room.
    const eve = await newPage(browser, 'Eve', { viewport: DESKTOP });
    await joinByLink(eve, `${server.origin}/r/${code}`, 'Eve');
    expect.ok(/needs a password/i.test(await lobbyError(eve)));
    expect.equal(await eve.getByTestId('room-code').count(), 0, 'stays in the lobby');
  });

  test('a room with a typed password asks for it, with focus and a clear message, at both sizes, light and dark', async () => {
    const ann = await newPage(browser, 'Ann', { viewport: DESKTOP });
    await openLobby(ann, server.origin, 'Ann');
    await ann.getByTestId('access-select').selectOption('password');
    expect.ok((await fieldShown(ann, 'new-password-input')).focused, 'choosing a password puts focus in its field');
    await ann.getByTestId('new-password-input').fill('tulip 42');
    await snap(ann, 'password-create-typed-desktop');
    const { code, link } = await createRoom(ann);
    expect.equal(new URL(link).hash, '', 'a typed password is not put in the link');

    const sizes = [['desktop', DESKTOP, 'light'], ['phone', PHONE, 'light'], ['desktop', DESKTOP, 'dark'], ['phone', PHONE, 'dark']];
    for (const [size, viewport, scheme] of sizes) {
      const label = `${size}, ${scheme}`;
      const cat = await newPage(browser, `Cat ${label}`, { viewport, colorScheme: scheme });
      await joinByLink(cat, link, `Cat${sizes.findIndex((s) => s[0] === size && s[2] === scheme)}`);
      expect.ok(/needs a password/i.test(await lobbyError(cat)), `${label}: says the room needs a password`);
      await useScheme(cat, scheme);
      let shown = await fieldShown(cat, 'password-input');
      expect.ok(shown.present && shown.inViewport && shown.focused, `${label}: the password field is on screen with focus: ${JSON.stringify(shown)}`);
      expect.ok(!shown.overflow, `${label}: nothing overflows sideways`);
      const failures = await axeFailures(cat);
      expect.ok(!failures, `${label}: axe: ${failures}`);
      await snap(cat, `password-asked-${size}-${scheme}`);

      await cat.getByTestId('password-input').fill('tulip 24');
      await cat.getByTestId('join-button').click();
      expect.ok(/isn.t right/i.test(await cat.getByTestId('lobby-error').innerText()), `${label}: says the password is wrong`);
      shown = await fieldShown(cat, 'password-input');
      expect.ok(shown.focused && shown.inViewport, `${label}: focus is back in the field: ${JSON.stringify(shown)}`);
      expect.equal(await cat.getByTestId('password-input').getAttribute('aria-invalid'), 'true');
      if (size === 'phone' && scheme === 'light') await snap(cat, 'password-wrong-phone');

      await cat.getByTestId('password-input').fill('tulip 42');
      await cat.getByTestId('join-button').click();
      await cat.getByTestId('room-code').waitFor();
      expect.equal((await cat.getByTestId('room-code').innerText()).trim(), code);
      await cat.getByTestId('leave-button').click();
      await cat.getByTestId('leave-confirm').click();
      await cat.getByTestId('name-input').waitFor();
      await cat.context().close();
    }
  });
});
