// Join time: from the first page starting to connect until every page reaches every other over an
// open direct link. Each repetition uses fresh pages (a new browser context each, nothing cached)
// and alternates: raw 2 pages, huddle 2 pages, huddle 3 pages. Each measures twice on its pages:
// "fresh pages", the pages' first connection, which also starts the browser's WebRTC machinery
// (often 100-300 ms more than later ones here) and, for huddle, loads and instantiates the Wasm
// module; then "again", a second connection on the same pages (huddle: all leave and join a new
// room; what a join costs an app that has preloaded the Wasm, as the huddle app does).
// - raw: two RTCPeerConnections signaled by the bench, trickle (pairs.mjs connectRaw); from
//   creating the first RTCPeerConnection until both data channels are open.
// - huddle: joinRoom called in every page at once (create: true, one fresh room name); from the
//   first call until every page sees every other member with transport 'direct' and link
//   'connected' (its reliable data channel open).
// Times are the pages' shared wall clock (performance.timeOrigin + performance.now()).
import { newPage } from '../../tests/e2e/helpers/browser.mjs';
import { connectRaw } from './pairs.mjs';
import { fmt, median, printTable } from './stats.mjs';

const DIRECT_TIMEOUT_MS = 15000;

/** New pages of the library site, each in its own context, once each has imported huddle.js. */
async function freshPages(browser, site, names) {
  const pages = [];
  for (const name of names) {
    const page = await newPage(browser, name);
    await page.goto(site.origin);
    await page.waitForFunction(() => window.huddle);
    pages.push(page);
  }
  return pages;
}

const closeAll = async (pages) => {
  for (const p of pages) await p.context().close();
};

async function rawJoin(browser, site) {
  const pages = await freshPages(browser, site, ['joinRawA', 'joinRawB']);
  const connect = async () => {
    const t = await connectRaw(pages[0], pages[1]);
    return Math.max(t.a.open, t.b.open) - t.a.created;
  };
  try {
    const cold = await connect();
    for (const p of pages) await p.evaluate(() => window.pc.close());
    return { cold, warm: await connect() };
  } finally {
    await closeAll(pages);
  }
}

/** In a page: joins `code` as `name`, then waits until all `others` members are direct. */
async function joinAndWait([server, code, name, others, timeoutMs]) {
  const now = () => performance.timeOrigin + performance.now();
  const called = now();
  const room = await window.huddle.joinRoom({ server, code, name, create: true });
  const joined = now();
  // Navigation start to the load event: the page with huddle.js imported (module scripts run first).
  const loaded = performance.getEntriesByType('navigation')[0].loadEventEnd;
  window.room = room;
  const direct = () => {
    const peers = room.peers().filter((p) => !p.isSelf);
    return peers.length === others && peers.every((p) => p.transport === 'direct' && p.link === 'connected');
  };
  if (!direct()) {
    await new Promise((resolve, reject) => {
      let off = () => {};
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${name}: not direct to everyone within ${timeoutMs} ms: ${JSON.stringify(room.peers())}`));
      }, timeoutMs);
      off = room.on('peers', () => {
        if (!direct()) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }
  return { called, joined, direct: now(), loaded };
}

/** Every page of `pages` joins room `code` at once; {ms, joinRoomMs: [...], loadMs: [...]}. */
async function joinAll(pages, server, code) {
  const results = await Promise.all(pages.map((p, i) => p.evaluate(joinAndWait, [server, code, `m${i}`, pages.length - 1, DIRECT_TIMEOUT_MS])));
  return {
    ms: Math.max(...results.map((r) => r.direct)) - Math.min(...results.map((r) => r.called)),
    joinRoomMs: results.map((r) => r.joined - r.called),
    loadMs: results.map((r) => r.loaded),
  };
}

async function huddleJoin(browser, site, server, count, rep) {
  const names = Array.from({ length: count }, (_, i) => `join${count}_${i}`);
  const pages = await freshPages(browser, site, names);
  const tag = `${Date.now().toString(36)}_${rep}`;
  try {
    const cold = await joinAll(pages, server, `bench_join${count}_cold_${tag}`);
    for (const p of pages) await p.evaluate(() => window.room.leave());
    const warm = await joinAll(pages, server, `bench_join${count}_warm_${tag}`);
    return { cold, warm };
  } finally {
    await closeAll(pages);
  }
}

/**
 * `reps` alternating repetitions; prints the medians and returns {cold2Raw, warm2Raw, cold2,
 * warm2, cold3, warm3} in ms, with joinRoom's own time (call to resolved, joinRoomCold and
 * joinRoomWarm) and a fresh huddle page's load (loadMs).
 */
export async function runJoin(browser, site, server, { reps }) {
  const runs = { cold2Raw: [], warm2Raw: [], cold2: [], warm2: [], cold3: [], warm3: [] };
  const joinRoomCold = [];
  const joinRoomWarm = [];
  const loadMs = [];
  const failures = [];
  const attempt = async (what, f) => {
    try {
      return await f();
    } catch (err) {
      failures.push(`${what}: ${err.message.split('\n')[0]}`);
      return null;
    }
  };
  for (let rep = 0; rep < reps; rep++) {
    const raw = await attempt('raw 2 pages', () => rawJoin(browser, site));
    if (raw) {
      runs.cold2Raw.push(raw.cold);
      runs.warm2Raw.push(raw.warm);
    }
    for (const count of [2, 3]) {
      const r = await attempt(`huddle ${count} pages`, () => huddleJoin(browser, site, server, count, rep));
      if (!r) continue;
      runs[`cold${count}`].push(r.cold.ms);
      runs[`warm${count}`].push(r.warm.ms);
      joinRoomCold.push(...r.cold.joinRoomMs);
      joinRoomWarm.push(...r.warm.joinRoomMs);
      loadMs.push(...r.cold.loadMs);
    }
  }
  const out = Object.fromEntries(Object.entries(runs).map(([k, xs]) => [k, median(xs)]));
  Object.assign(out, { joinRoomCold: median(joinRoomCold), joinRoomWarm: median(joinRoomWarm), loadMs: median(loadMs), runs, failures });
  const list = (xs) => xs.map((x) => fmt(x, 0)).join(' ');
  console.log(`\n== join: until every page is direct to every other, fresh pages each time, median of ${reps} alternating repetitions, ms`);
  printTable(['what', 'median', 'runs'], [
    ['raw RTCPeerConnection, 2 pages, fresh pages', fmt(out.cold2Raw, 0), list(runs.cold2Raw)],
    ['huddle 2 pages, fresh pages (joinRoom loads the Wasm)', fmt(out.cold2, 0), list(runs.cold2)],
    ['raw RTCPeerConnection, 2 pages, again', fmt(out.warm2Raw, 0), list(runs.warm2Raw)],
    ['huddle 2 pages, again (a new room, same pages)', fmt(out.warm2, 0), list(runs.warm2)],
    ['huddle 3 pages, fresh pages', fmt(out.cold3, 0), list(runs.cold3)],
    ['huddle 3 pages, again', fmt(out.warm3, 0), list(runs.warm3)],
  ], { left: [0, 2] });
  console.log(`per huddle page: navigation → load event (huddle.js imported) ${fmt(out.loadMs, 0)} ms; joinRoom call → resolved ` +
    `${fmt(out.joinRoomCold, 0)} ms in a fresh page (the Wasm fetched and instantiated first), ${fmt(out.joinRoomWarm, 0)} ms again`);
  for (const f of failures) console.log(`FAILED ${f}`);
  return out;
}
