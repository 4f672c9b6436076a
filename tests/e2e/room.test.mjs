// Three real Chromium pages meet in one room through the app against a real huddle-server:
// create, join by link, join by typed code; the full mesh opens; chat travels over data channels
// exactly once and in order; leaving and host hand-over show everywhere.
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage } from './helpers/browser.mjs';
import { startServer } from '../support/huddle_server.mjs';
import { chatMessages, createRoom, expect, openLobby, peerItems, sendChat, waitForMesh } from './helpers/app.mjs';
import { recordFigure } from './helpers/figures.mjs';

const MESSAGES_PER_PAGE = 5;
const GRACE_MS = 2000;

describe('a room of three pages', () => {
  let server;
  let browser;
  const pages = {};
  let room;

  before(async () => {
    // A short grace period: a closed tab is away (it may be a reload) for this long, then gone.
    server = await startServer(['--member-grace-ms', String(GRACE_MS)]);
    browser = await launchBrowser();
    for (const name of ['Ann', 'Ben', 'Cat']) pages[name] = await newPage(browser, name);
  });

  after(async () => {
    await browser?.close();
    const code = await server?.stop();
    expect.equal(code, 0, 'huddle-server exits cleanly on SIGTERM');
  });

  test('Ann creates a room and sees its code and share link', async () => {
    await openLobby(pages.Ann, server.origin, 'Ann', '/?debug=1');
    room = await createRoom(pages.Ann);
    expect.ok(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$/.test(room.code), `code ${room.code}`);
    expect.equal(room.link, `${server.origin}/r/${room.code}`);
    const [me] = await peerItems(pages.Ann);
    expect.ok(me.self && me.host, 'the creator is listed as self and host');
  });

  test('Ben joins by link and Cat by typed lower-case code; the full mesh opens', async () => {
    const started = performance.now();
    await pages.Ben.goto(room.link);
    await pages.Ben.getByTestId('name-input').fill('Ben');
    await pages.Ben.getByTestId('join-button').click();
    await openLobby(pages.Cat, server.origin, 'Cat');
    await pages.Cat.getByTestId('code-input').fill(room.code.toLowerCase());
    await pages.Cat.getByTestId('join-button').click();
    await Promise.all(Object.values(pages).map((p) => waitForMesh(p, 3)));
    recordFigure('join to every data channel open, 3 pages (ms)', Math.round(performance.now() - started));

    for (const [name, page] of Object.entries(pages)) {
      const items = await peerItems(page);
      expect.deepEqual(items.map((i) => i.text.includes('Ann') || i.text.includes('Ben') || i.text.includes('Cat')), [true, true, true], name);
      expect.equal(items.filter((i) => i.host).length, 1, `${name} sees exactly one host`);
      expect.ok(items[0].host && items[0].text.includes('Ann'), `${name} sees Ann as host`);
    }
  });

  test('every page shows the measured round-trip time of each direct link', async () => {
    for (const [name, page] of Object.entries(pages)) {
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="peer-rtt"]').length === 2, null, { timeout: 10000 });
      const rtts = await page.$$eval('[data-testid="peer-rtt"]', (els) => els.map((el) => Number(el.textContent.match(/(\d+) ms/)[1])));
      for (const ms of rtts) expect.ok(ms >= 0 && ms < 1000, `${name} shows a plausible link RTT (${ms} ms)`);
      if (name === 'Ann') recordFigure('direct link round-trip time, local Chromium pages (ms)', Math.max(...rtts));
    }
  });

  test('the joiners report their paths to the server, which counts them on /metrics', async () => {
    // Ben found Ann (1 path), Cat found Ann and Ben (2): every path once, by its newer member.
    const metric = (text, name) => Number(text.match(new RegExp(`^${name} (\\d+)$`, 'm'))?.[1] ?? NaN);
    let text = '';
    await expect.eventually(async () => (text = await (await fetch(`${server.origin}/metrics`)).text()),
      (t) => metric(t, 'huddle_client_stats_reports_total') === 2, { what: 'two stats reports on /metrics' });
    expect.equal(metric(text, 'huddle_client_paths_total\\{transport="direct"\\}'), 3, 'three direct paths');
    expect.equal(metric(text, 'huddle_client_paths_total\\{transport="none"\\}'), 0, 'none unsettled');
    expect.equal(metric(text, 'huddle_client_path_rtt_seconds_count\\{transport="direct"\\}'), 3, 'each with a round trip');
    const settled = metric(text, 'huddle_client_path_settle_seconds_bucket\\{transport="direct",le="30"\\}');
    expect.equal(settled, 3, 'each settled within 30 s of its join');
  });

  test('every page receives every other page\'s messages exactly once and in order', async () => {
    const names = Object.keys(pages);
    for (let i = 1; i <= MESSAGES_PER_PAGE; i++) {
      for (const name of names) await sendChat(pages[name], `${name}-${i}`);
    }
    const ids = {};
    for (const name of names) ids[name] = (await peerItems(pages[name])).find((p) => p.self).id;

    for (const name of names) {
      const page = pages[name];
      const msgs = await expect.eventually(() => chatMessages(page),
        (m) => m.filter((x) => !x.mine).length >= MESSAGES_PER_PAGE * (names.length - 1),
        { what: `${name} to receive all messages` });
      for (const other of names.filter((n) => n !== name)) {
        const got = msgs.filter((m) => m.from === ids[other]).map((m) => m.text.trim());
        const want = Array.from({ length: MESSAGES_PER_PAGE }, (_, k) => `${other}-${k + 1}`);
        expect.deepEqual(got, want, `${name} got ${other}'s messages once each, in order`);
      }
      // Receipts: each own message is acknowledged by both others.
      await expect.eventually(() => chatMessages(page),
        (m) => m.filter((x) => x.mine).every((x) => x.delivered === names.length - 1),
        { what: `${name}'s receipts` });
    }
    const health = await server.health();
    expect.equal(health.relayedMessages, 0, 'app messages never went through the server');
    expect.ok(health.signalsForwarded > 0, 'signaling went through the server');
  });

  test('the debug option logs connection events to the console', async () => {
    const events = pages.Ann.logs.filter((line) => line.startsWith('[huddle]'));
    expect.ok(events.some((line) => line.includes('welcomed as')), 'welcome logged');
    expect.ok(events.some((line) => /link to \w+: connected/.test(line)), 'link states logged');
    expect.equal(pages.Ben.logs.filter((line) => line.startsWith('[huddle]')).length, 0, 'silent without debug');
  });

  test('a member who presses Leave leaves everyone\'s list and returns to the lobby', async () => {
    await pages.Cat.getByTestId('leave-button').click();
    await pages.Cat.getByTestId('leave-confirm').click(); // Leave asks first
    await pages.Cat.getByTestId('create-button').waitFor();
    for (const name of ['Ann', 'Ben']) {
      await expect.eventually(() => peerItems(pages[name]), (items) => items.length === 2 && items.every((i) => !i.text.includes('Cat')),
        { what: `${name} to see Cat leave` });
    }
  });

  test('when the host closes its tab, the next-oldest member becomes host after the grace period', async () => {
    await pages.Ann.close();
    const items = await expect.eventually(() => peerItems(pages.Ben), (it) => it.length === 1 && it[0].host,
      { what: 'Ben to become host', timeout: GRACE_MS + 10000 });
    expect.ok(items[0].self);
    for (const page of Object.values(pages)) expect.deepEqual(page.problems.filter((p) => !p.includes('favicon')), []);
  });
});
