// The two shipped experiences (experiences/draw, experiences/pong), served by a real huddle-server
// at /experiences/NAME/ (which inserts p2p.js), each in an iframe inside <p2p-frame> on a page of
// ANOTHER origin (a tiny site served by this test), one browser context per member. The tests
// drive and read the experiences only through their test hooks (window.huddleDraw,
// window.huddlePong) and the P2P global, evaluated inside the cross-origin iframes.
import { after, before, describe, test } from 'node:test';
import path from 'node:path';
import { newPage } from './helpers/browser.mjs';
import { embedUrl } from './helpers/experience.mjs';
import { expect } from './helpers/expect.mjs';
import { recordFigure } from './helpers/figures.mjs';
import { attr, startSite, startSiteAndServer, stopSiteAndServer } from './helpers/site.mjs';
import { repoRoot } from '../support/huddle_server.mjs';

const RED = '#e11d48';
const BLUE = '#2563eb';
const RED_PATH = [[0.1, 0.2], [0.9, 0.2]];
const BLUE_PATH = [[0.1, 0.8], [0.9, 0.8]];
const PIXEL_TOLERANCE = 48;      // per channel, for antialiasing and colour management
const MIN_TICKS_PER_SECOND = 20; // the host sends 60; a loaded CI machine still manages 20
const TICK_WINDOW_MS = 2000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** The embedding site's one page, /embed: <p2p-frame> around a shipped experience served by huddle-server. */
function embedPage(url) {
  if (url.pathname !== '/embed') return null;
  const q = (k) => attr(url.searchParams.get(k) ?? '');
  const huddle = q('huddle');
  return `<!doctype html><meta charset="utf-8"><title>${q('name')} in ${q('experience')}</title>
<style>iframe { display: block; width: 720px; height: 560px; border: 0; }</style>
<script type="module" src="${huddle}/huddle.js"></script>
<p2p-frame session-id="${q('session')}" name="${q('name')}"><iframe src="${huddle}/experiences/${q('experience')}/"></iframe></p2p-frame>`;
}

/** The P2P view of a member's experience iframe, or null while its document is not ready. */
const p2pView = (member) => member.frame.evaluate(() => ({
  connected: P2P.isConnected(), self: P2P.getPeerId(), peers: P2P.getPeers(), host: P2P.getHostId(), isHost: P2P.isHost(),
  hooks: Boolean(window.huddleDraw || window.huddlePong),
})).catch(() => null);

/** Waits until `member` is connected, its hooks exist and it sees exactly `peers` (oldest first). */
async function waitForPeers(member, peers, what) {
  const v = await expect.eventually(() => p2pView(member),
    (x) => x?.connected === true && x.hooks && JSON.stringify(x.peers) === JSON.stringify(peers), { timeout: 20000, what });
  member.id = v.self;
  return v;
}

function near(actual, want, tolerance = PIXEL_TOLERANCE) {
  return actual.length === 4 && actual[3] === 255 && want.every((c, i) => Math.abs(actual[i] - c) <= tolerance);
}

/** Pixels of a member's board: on the red and the blue path, and far from both. */
const samples = (member) => member.frame.evaluate(([red, blue]) => {
  const along = (p) => [0.15, 0.5, 0.85].map((x) => huddleDraw.pixelAt(x, p[0][1]));
  return { red: along(red), blue: along(blue), blank: [huddleDraw.pixelAt(0.5, 0.5), huddleDraw.pixelAt(0.03, 0.97)] };
}, [RED_PATH, BLUE_PATH]);

async function expectBoard(member, { strokes }) {
  const s = await samples(member);
  const white = [255, 255, 255];
  for (const [i, px] of s.red.entries()) {
    expect.ok(near(px, strokes ? rgb(RED) : white), `${member.label}: red path sample ${i} is ${strokes ? RED : 'background'}, got ${px}`);
  }
  for (const [i, px] of s.blue.entries()) {
    expect.ok(near(px, strokes ? rgb(BLUE) : white), `${member.label}: blue path sample ${i} is ${strokes ? BLUE : 'background'}, got ${px}`);
  }
  for (const [i, px] of s.blank.entries()) expect.ok(near(px, white, 8), `${member.label}: far point ${i} is background, got ${px}`);
}

/** Same peer ids in the same (side) order, same scores, paddles equal to the wire's 3 decimals. */
function samePlayers(a, b) {
  const ka = Object.keys(a);
  return JSON.stringify(ka) === JSON.stringify(Object.keys(b)) &&
    ka.every((id) => a[id].score === b[id].score && Math.abs(a[id].paddle - b[id].paddle) <= 0.0006);
}

describe('shipped experiences in <p2p-frame> on another origin', () => {
  let huddle;
  let site;
  let browser;
  const everyone = []; // every page ever opened, for the error check at the end
  const stamp = Date.now().toString(36);

  async function join(experience, session, name) {
    const page = await newPage(browser, `${experience}:${name}`);
    everyone.push(page);
    await page.goto(embedUrl(site, { huddle: huddle.origin, experience, session, name }));
    const frame = await (await page.waitForSelector('p2p-frame iframe', { state: 'attached' })).contentFrame();
    return { page, frame, label: name, id: null };
  }

  /** Joins one by one, so join order (and so host order) is the order of `names`. */
  async function joinAll(experience, session, names) {
    const members = [];
    for (const name of names) {
      const m = await join(experience, session, name);
      await waitForPeers(m, members.map((o) => o.id), `${name} connected in ${experience}`);
      members.push(m);
      for (const o of members) await waitForPeers(o, members.filter((x) => x !== o).map((x) => x.id), `${o.label} sees ${name}`);
    }
    return members;
  }

  const leave = (member) => member.page.context().close();
  // Removing <p2p-frame> leaves the room on purpose (a closed page is only away for the grace
  // period, as a reload would be); then the page goes.
  const leaveOnPurpose = async (member) => {
    await member.page.evaluate(() => document.querySelector('p2p-frame')?.remove());
    await leave(member);
  };

  before(async () => {
    ({ site, huddle, browser } = await startSiteAndServer(() => startSite(embedPage), ['--experiences-dir', path.join(repoRoot, 'experiences')]));
    expect.ok(new URL(site.origin).origin !== new URL(huddle.origin).origin);
  });

  after(() => stopSiteAndServer({ site, huddle, browser }));

  describe('draw', () => {
    const session = `draw_${stamp}`;
    let ann; let ben; let cat;
    const count = (m) => m.frame.evaluate(() => huddleDraw.strokeCount());
    const countsBy = (m, ids) => m.frame.evaluate((list) => list.map((id) => huddleDraw.strokesBy(id)), ids);

    test('two members each draw a stroke; both boards show both, in colour, and nothing elsewhere', async () => {
      [ann, ben] = await joinAll('draw', session, ['Ann', 'Ben']);
      // When ann's first segment reaches ben's iframe (a listener beside the experience's own).
      await ben.frame.evaluate(() => {
        window.firstSegAt = null;
        P2P.addEventListener('message', (e) => { if (e.detail.data?.t === 'seg' && window.firstSegAt === null) window.firstSegAt = Date.now(); });
      });
      const sentAt = await ann.frame.evaluate(([p, c]) => { const t = Date.now(); huddleDraw.drawStroke(p, c); return t; }, [RED_PATH, RED]);
      await ben.frame.evaluate(([p, c]) => huddleDraw.drawStroke(p, c), [BLUE_PATH, BLUE]);
      for (const m of [ann, ben]) await expect.eventually(() => count(m), (n) => n >= 2, { what: `${m.label} to have 2 strokes` });
      recordFigure('draw: stroke arrival at another member (ms)', (await ben.frame.evaluate(() => window.firstSegAt)) - sentAt);
      await sleep(200); // room for a duplicate to show up
      for (const m of [ann, ben]) {
        expect.equal(await count(m), 2, `${m.label} has exactly 2 strokes`);
        expect.deepEqual(await countsBy(m, [ann.id, ben.id]), [1, 1], `${m.label} has one stroke by each`);
        await expectBoard(m, { strokes: true });
      }
    });

    test('a late joiner gets the drawing made before it came (the room state, not a replay)', async () => {
      cat = await join('draw', session, 'Cat');
      await waitForPeers(cat, [ann.id, ben.id], 'cat connected in draw');
      await expect.eventually(() => count(cat), (n) => n >= 2, { what: 'cat to get the 2 strokes' });
      await sleep(200);
      for (const m of [ann, ben, cat]) expect.equal(await count(m), 2, `${m.label} has exactly 2 strokes after cat joined`);
      expect.deepEqual(await countsBy(cat, [ann.id, ben.id, cat.id]), [1, 1, 0], 'cat has one stroke by ann and one by ben');
      await expectBoard(cat, { strokes: true });
    });

    test('in dark mode the board is dark and black ink is light; other members keep the colours as drawn', async () => {
      const INK = '#1f2937';           // the first pen: near-black on the light board
      const INK_ON_DARK = '#c8d2e0';   // theme.js: its lightness mirrored, hue kept
      const DARK_BOARD = '#1b1e27';
      await cat.page.emulateMedia({ colorScheme: 'dark' });
      await ann.frame.evaluate((c) => huddleDraw.drawStroke([[0.1, 0.5], [0.9, 0.5]], c), INK);
      for (const m of [ann, cat]) await expect.eventually(() => count(m), (n) => n === 3, { what: `${m.label} to have 3 strokes` });
      const look = (m) => m.frame.evaluate((y) => [huddleDraw.pixelAt(0.5, 0.5), huddleDraw.pixelAt(0.03, 0.97), huddleDraw.pixelAt(0.5, y)], RED_PATH[0][1]);
      const [annInk, annBoard, annRed] = await look(ann);
      expect.ok(near(annInk, rgb(INK)), `ann (light) sees the ink as drawn, got ${annInk}`);
      expect.ok(near(annBoard, [255, 255, 255], 8), `ann's board is white, got ${annBoard}`);
      expect.ok(near(annRed, rgb(RED)), `ann's red stroke is red, got ${annRed}`);
      const [catInk, catBoard, catRed] = await look(cat);
      expect.ok(near(catInk, rgb(INK_ON_DARK)), `cat (dark) sees the ink light, got ${catInk}`);
      expect.ok(near(catBoard, rgb(DARK_BOARD), 8), `cat's board is dark, got ${catBoard}`);
      expect.ok(near(catRed, rgb(RED)), `cat's red stroke stays red, got ${catRed}`);
      // Back to light while open: the same strokes, repainted.
      await cat.page.emulateMedia({ colorScheme: 'light' });
      await expect.eventually(() => look(cat), ([ink, board]) => near(ink, rgb(INK)) && near(board, [255, 255, 255], 8),
        { what: 'cat repainted in light colours' });
    });

    test('clearing on one member clears all three boards', async () => {
      const strokeKeys = (m) => m.frame.evaluate(() => P2P.state.entries().map(([key]) => key).filter((key) => key.startsWith('s/')));
      const keysBefore = await strokeKeys(ann);
      expect.ok(keysBefore.length >= 2, `ann's strokes are keys of the room state (${keysBefore})`);
      await ben.frame.evaluate(() => huddleDraw.clear());
      for (const m of [ann, ben, cat]) {
        await expect.eventually(() => count(m), (n) => n === 0, { what: `${m.label} to have no strokes` });
        await expectBoard(m, { strokes: false });
      }
      // Then the cleared strokes' keys are deleted (their drawers do it), leaving only `clear`.
      for (const m of [ann, ben, cat]) {
        await expect.eventually(() => m.frame.evaluate(() => huddleDraw.stateKeys()), (n) => n === 1, { what: `${m.label}'s room state to keep only the clear` });
      }
      // A stroke drawn after the clear takes a new key: a key whose delete may still be on its way
      // somewhere is never written again.
      for (const m of [ann, ben]) await m.frame.evaluate(() => huddleDraw.drawStroke([[0.3, 0.3], [0.6, 0.3]], '#16a34a'));
      const keysAfter = await expect.eventually(() => strokeKeys(cat), (k) => k.length === 2, { what: 'cat to hold the 2 new strokes' });
      expect.deepEqual(keysAfter.filter((key) => keysBefore.includes(key)), [], `new keys ${keysAfter}, old ${keysBefore}`);
      for (const m of [ann, ben, cat]) await leave(m);
    });

    test('after the first drawer, the host, leaves, the drawing stays: its members keep it and a newcomer gets it', async () => {
      const [dee, eve] = await joinAll('draw', `${session}_stays`, ['Dee', 'Eve']);
      await dee.frame.evaluate(([red, blue, c]) => { huddleDraw.drawStroke(red, c[0]); huddleDraw.drawStroke(blue, c[1]); }, [RED_PATH, BLUE_PATH, [RED, BLUE]]);
      await eve.frame.evaluate((p) => huddleDraw.drawStroke(p, '#22c55e'), [[0.2, 0.9], [0.8, 0.9]]);
      for (const m of [dee, eve]) {
        await expect.eventually(() => m.frame.evaluate(() => huddleDraw.stateKeys()), (n) => n === 3, { what: `${m.label}'s room state to hold the 3 strokes` });
      }
      await leaveOnPurpose(dee);
      await waitForPeers(eve, [], 'eve alone, and host, after dee left');
      const fay = await join('draw', `${session}_stays`, 'Fay');
      await waitForPeers(fay, [eve.id], 'fay connected in draw');
      await expect.eventually(() => count(fay), (n) => n === 3, { what: 'fay to get the 3 strokes drawn before she came' });
      expect.deepEqual(await countsBy(fay, [dee.id, eve.id, fay.id]), [2, 1, 0], 'fay has dee\'s two strokes and eve\'s one');
      for (const m of [eve, fay]) {
        expect.equal(await count(m), 3, `${m.label} has the 3 strokes`);
        await expectBoard(m, { strokes: true });
      }
      for (const m of [eve, fay]) await leave(m);
    });

    test('a full board refuses new strokes and says so, on every board; a clear makes room again', async () => {
      const [gus, hal] = await joinAll('draw', `${session}_full`, ['Gus', 'Hal']);
      // Strokes of 3000 points with 4 decimals each (≈ 42 KB of JSON): two dozen fill 1 MiB.
      const drawn = await gus.frame.evaluate(() => {
        let n = 0;
        for (let i = 0; i < 40; i++) {
          const points = Array.from({ length: 3000 }, (_, j) => [0.1111 + (j % 7) * 0.1111, 0.1234 + (i % 5) * 0.1111 + (j % 3) * 0.0001]);
          if (!huddleDraw.drawStroke(points, '#3b82f6')) break;
          n++;
        }
        return n;
      });
      expect.ok(drawn > 15 && drawn < 40, `gus drew until the board was full (${drawn} strokes)`);
      const fullView = (m) => m.frame.evaluate(() => ({ full: huddleDraw.isFull(), banner: !document.getElementById('full').hidden, text: document.getElementById('full').textContent }));
      for (const m of [gus, hal]) {
        await expect.eventually(() => fullView(m), (v) => v.full && v.banner && /full/.test(v.text), { what: `${m.label}'s board to say it is full` });
        await expect.eventually(() => count(m), (n) => n === drawn, { what: `${m.label} to have every stroke drawn` });
      }
      // What hal sees: the banner whole inside the frame, its text not cut, at a desktop and a
      // phone width, light and dark.
      const bannerBox = (m) => m.frame.evaluate(() => {
        const el = document.getElementById('full');
        const r = el.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: innerWidth, height: innerHeight,
          clipped: el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight };
      });
      for (const [width, height] of [[720, 560], [360, 640]]) {
        await hal.page.evaluate(([w, h]) => Object.assign(document.querySelector('iframe').style, { width: `${w}px`, height: `${h}px` }), [width, height]);
        for (const scheme of ['light', 'dark']) {
          await hal.page.emulateMedia({ colorScheme: scheme });
          const box = await expect.eventually(() => bannerBox(hal), (b) => b.width === width, { what: `hal's frame at ${width} px` });
          expect.ok(box.left >= 0 && box.top >= 0 && box.right <= box.width && box.bottom <= box.height && !box.clipped,
            `the full-board banner is whole inside the frame at ${width}x${height}, ${scheme}: ${JSON.stringify(box)}`);
          if (process.env.HUDDLE_SCREENSHOTS) await hal.page.screenshot({ path: path.join(process.env.HUDDLE_SCREENSHOTS, `draw-full-${width}-${scheme}.png`) });
        }
      }
      await hal.page.emulateMedia({ colorScheme: 'light' });
      await hal.page.evaluate(() => Object.assign(document.querySelector('iframe').style, { width: '720px', height: '560px' }));
      expect.equal(await hal.frame.evaluate(() => huddleDraw.drawStroke([[0.5, 0.5], [0.6, 0.6]], '#ef4444')), false, 'hal cannot draw on a full board');
      expect.equal(await count(hal), drawn, 'and nothing was added');
      // Clear, as a person does it: the button asks once more, the second tap clears for all.
      await hal.frame.click('#clear');
      expect.equal(await hal.frame.textContent('#clear'), 'Clear for all?', 'the first tap asks');
      expect.equal(await count(hal), drawn, 'and clears nothing yet');
      await hal.frame.click('#clear');
      for (const m of [gus, hal]) {
        await expect.eventually(() => fullView(m), (v) => !v.full && !v.banner, { what: `${m.label}'s board to have room again` });
      }
      expect.equal(await hal.frame.textContent('#clear'), 'Clear', 'the button is back to Clear');
      expect.equal(await hal.frame.evaluate(() => huddleDraw.drawStroke([[0.5, 0.5], [0.6, 0.6]], '#ef4444')), true, 'hal draws again');
      for (const m of [gus, hal]) await leave(m);
    });
  });

  describe('pong', () => {
    const session = `pong_${stamp}`;
    let members;
    let host; let others;
    const state = (m) => m.frame.evaluate(() => huddlePong.state());

    /**
     * Over the same window, measured inside the iframes: ticks per second received by each of
     * `list`, and ticks per second the host ran (so a failure tells a starved host from slow delivery).
     */
    async function tickRates(list, hostMember) {
      const rate = (m, ran) => m.frame.evaluate(async ([ms, hostSide]) => {
        const count = () => (hostSide ? huddlePong.state().tick : huddlePong.ticksReceived());
        const n0 = count();
        const t0 = performance.now();
        await new Promise((r) => setTimeout(r, ms));
        return ((count() - n0) * 1000) / (performance.now() - t0);
      }, [TICK_WINDOW_MS, ran]);
      const [hostRate, ...rates] = await Promise.all([rate(hostMember, true), ...list.map((m) => rate(m, false))]);
      return { hostRate, rates };
    }

    test('the oldest member hosts, and its ticks reach both others at ≥ 20 per second', async () => {
      members = await joinAll('pong', session, ['Ann', 'Ben', 'Cat']);
      const views = await Promise.all(members.map(p2pView));
      const hostIds = [...views.map((v) => v.host), ...(await Promise.all(members.map(state))).map((s) => s.hostId)];
      expect.deepEqual(hostIds, Array(6).fill(members[0].id), 'P2P.getHostId() and state().hostId name the oldest member everywhere');
      expect.deepEqual(views.map((v) => v.isHost), [true, false, false]);
      [host, ...others] = members;
      const { hostRate, rates } = await tickRates(others, host);
      for (const [i, rate] of rates.entries()) {
        expect.ok(rate >= MIN_TICKS_PER_SECOND, `${others[i].label} received ${rate.toFixed(1)} ticks/s from the host (which ran ${hostRate.toFixed(1)}/s)`);
      }
      expect.equal(await host.frame.evaluate(() => huddlePong.ticksReceived()), 0, 'the host accepts no ticks');
      recordFigure('pong: ticks per second received by a member (3 members, lowest)', Math.round(Math.min(...rates)));
    });

    test('the others\' inputs reach the host and move their paddles that way within 1 s', async () => {
      // The latest input the host's game has from each member (game sync hands it over every tick).
      const atHost = (id) => host.frame.evaluate((pid) => ({
        count: huddlePong.inputsReceived()[pid] ?? 0,
        last: huddlePong.inputOf(pid),
        paddle: huddlePong.state().players[pid]?.paddle,
      }), id);
      let slowest = 0;
      for (const m of others) {
        let direction = 0;
        for (const input of [1, -1]) {
          const before = await atHost(m.id);
          const t0 = Date.now();
          await m.frame.evaluate((v) => huddlePong.setInput(v), input);
          // Inputs go every tick, so until the new one arrives the old one keeps coming: wait for
          // the new direction, not just for another input.
          const seen = await expect.eventually(() => atHost(m.id), (h) => h.count > before.count && h.last?.d !== undefined && h.last.d !== 0 &&
            (direction === 0 || h.last.d === -direction) &&
            Math.sign(h.paddle - before.paddle) === Math.sign(h.last.d) && Math.abs(h.paddle - before.paddle) >= 0.05,
          { timeout: 1000, interval: 20, what: `${m.label}'s setInput(${input}) to move its paddle at the host (before: ${JSON.stringify(before)})` });
          slowest = Math.max(slowest, Date.now() - t0);
          // The other key is the other way along the side, whichever way that side lies on screen.
          if (direction !== 0) expect.equal(seen.last.d, -direction, `${m.label}'s opposite input is the opposite direction`);
          direction = seen.last.d;
        }
        await m.frame.evaluate(() => huddlePong.setInput(0));
        await expect.eventually(() => atHost(m.id), (h) => h.last?.d === 0, { timeout: 1000, what: `${m.label}'s setInput(0) at the host` });
        const p1 = (await atHost(m.id)).paddle;
        await sleep(300);
        expect.equal((await atHost(m.id)).paddle, p1, `${m.label}'s paddle stays put with no input`);
      }
      recordFigure('pong: member input to paddle moved at the host, slowest (ms)', slowest);
    });

    test('every member\'s state converges to the host\'s players', async () => {
      const ids = members.map((m) => m.id).sort();
      const hostPlayers = (await state(host)).players;
      expect.deepEqual(Object.keys(hostPlayers).sort(), ids, 'the host plays all three');
      for (const m of others) {
        // Nobody is moving (inputs are 0 and the game is in its lobby), so the states are equal, up
        // to the 3 decimals positions travel with (protocol.js).
        await expect.eventually(() => state(m), (s) => samePlayers(s.players, hostPlayers),
          { timeout: 3000, what: `${m.label}'s players to equal the host's ${JSON.stringify(hostPlayers)}` });
      }
      const hostTick = (await state(host)).tick;
      for (const m of others) {
        const s = await state(m);
        expect.ok(s.tick > 0 && Math.abs(hostTick - s.tick) <= 60, `${m.label} is within a second of the host's tick (${s.tick} vs ${hostTick})`);
      }
    });

    test('a member\'s Start rides on its input: the host starts the game and every member sees it', async () => {
      const starter = others.at(-1);
      expect.equal((await state(host)).phase, 'lobby', 'nobody has pressed Start yet');
      await starter.frame.locator('#start').click();
      for (const m of members) {
        await expect.eventually(() => state(m), (s) => s.running && (s.phase === 'serve' || s.phase === 'play'),
          { timeout: 2000, what: `${m.label} to see the game ${starter.label} started` });
      }
    });

    test('when the host leaves, the next-oldest member hosts and ticks keep arriving', async () => {
      const [next, last] = others;
      const tickBefore = (await state(last)).tick;
      const t0 = Date.now();
      await leaveOnPurpose(host);
      await expect.eventually(() => p2pView(next), (v) => v?.isHost === true && v.host === next.id && JSON.stringify(v.peers) === JSON.stringify([last.id]),
        { timeout: 15000, what: `${next.label} to become host` });
      recordFigure('pong: host handover after the host left (ms)', Date.now() - t0);
      await expect.eventually(() => p2pView(last), (v) => v?.host === next.id && JSON.stringify(v.peers) === JSON.stringify([next.id]),
        { timeout: 5000, what: `${last.label} to see ${next.label} as host` });
      const { hostRate, rates: [rate] } = await tickRates([last], next);
      expect.ok(rate >= MIN_TICKS_PER_SECOND, `${last.label} received ${rate.toFixed(1)} ticks/s from the new host (which ran ${hostRate.toFixed(1)}/s)`);
      const s = await state(last);
      expect.ok(s.tick > tickBefore, `the tick count carries on (${tickBefore} → ${s.tick})`);
      expect.equal(s.hostId, next.id);
      expect.deepEqual(Object.keys(s.players).sort(), [next.id, last.id].sort(), 'the players are the two left');
      // The game started above goes on from the last state (a changed roster serves again), not from a new lobby.
      expect.ok(s.phase === 'serve' || s.phase === 'play', `the new host carries the game on (phase ${s.phase})`);
      // And the new host hears the remaining member's input.
      const before = await next.frame.evaluate((id) => huddlePong.inputsReceived()[id] ?? 0, last.id);
      await last.frame.evaluate(() => huddlePong.setInput(1));
      await expect.eventually(() => next.frame.evaluate((id) => huddlePong.inputsReceived()[id] ?? 0, last.id), (n) => n > before,
        { timeout: 1000, interval: 20, what: `the new host to get ${last.label}'s input` });
      for (const m of others) await leave(m);
    });
  });

  test('no page logged an error', () => {
    expect.ok(everyone.length === 11, `11 pages were opened (${everyone.length})`); // draw 3 + 3 (the host leaves) + 2 (full), pong 3
    expect.deepEqual(everyone.flatMap((p) => p.problems), []);
  });
});
