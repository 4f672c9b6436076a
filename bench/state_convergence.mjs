// Room state convergence after a burst (issue 14): 4 headless Chromium pages through a real
// huddle-server, over direct links and in a relay-only room. Each page writes 250 keys in one
// turn (1,000 writes in all); the figure is the time from the first write to the moment the last
// page holds all 1,000. Side by side, in alternating repetitions, the baseline: the same 250
// messages per page as plain reliable broadcasts (room.send), until the last page has received
// all 750 from the others. Prints medians and their ratio. A figure, not a test. After a build:
//   node bench/state_convergence.mjs [--reps N] [--only direct|relay]
import { parseArgs } from 'node:util';
import { launchBrowser } from '../tests/e2e/helpers/browser.mjs';
import { openRoom, startLibrarySite } from '../tests/e2e/helpers/files.mjs';
import { startServer } from '../tests/support/huddle_server.mjs';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '5' }, only: { type: 'string' } } });
const reps = Number(values.reps);
const PER_PAGE = 250;
const NAMES = ['ann', 'ben', 'cy', 'dee'];

const huddle = await startServer(['--allowed-origins', '*']);
const site = await startLibrarySite(huddle.origin);
const browser = await launchBrowser();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Every page writes (or sends) its burst at once; resolves with ms from the first write to the last page done. */
async function burst(pages, round, kind) {
  // Each page arms itself: it notes when it is done (Date.now(): one clock for all pages here).
  await Promise.all(pages.map((p) => p.evaluate(([round, kind, total]) => {
    window.done = new Promise((resolve) => {
      if (kind === 'state') {
        // Counted from the change events (own writes included): reading entries() at every
        // change would cost the page more than the room state does.
        const prefix = `r${round}/`;
        const keys = new Set();
        const check = () => {
          if (keys.size === total) { off(); resolve(Date.now()); }
        };
        const off = window.room.state.on('change', ({ key, value }) => {
          if (key.startsWith(prefix) && value !== undefined) keys.add(key);
          check();
        });
        window.check = check;
      } else {
        let got = 0;
        const off = window.room.on('message', ({ data }) => {
          if (data.r === round && ++got === total - data.per) { off(); resolve(Date.now()); }
        });
      }
    });
  }, [round, kind, PER_PAGE * pages.length])));
  const starts = await Promise.all(pages.map((p) => p.evaluate(([round, kind, per]) => {
    const start = Date.now();
    for (let i = 0; i < per; i++) {
      if (kind === 'state') window.room.state.set(`r${round}/${window.room.selfId}/${i}`, { i, at: start });
      else window.room.send({ r: round, i, per });
    }
    if (kind === 'state') window.check();
    return start;
  }, [round, kind, PER_PAGE])));
  const dones = await Promise.all(pages.map((p) => p.evaluate(() => window.done)));
  if (kind === 'state') {
    // Each page deletes its burst again (not timed), so the repetitions fit the room's key cap:
    // the host collects the deletes once everyone is past them.
    await Promise.all(pages.map((p) => p.evaluate(([round, per]) => {
      for (let i = 0; i < per; i++) window.room.state.delete(`r${round}/${window.room.selfId}/${i}`);
    }, [round, PER_PAGE])));
    await new Promise((r) => setTimeout(r, 5000));
  }
  return Math.max(...dones) - Math.min(...starts);
}

try {
  console.log(`4 pages, ${PER_PAGE} writes each in one turn (${PER_PAGE * NAMES.length} in all); median of ${reps} alternating repetitions, ms until the last page has everything`);
  console.log('transport  room.state  room.send (baseline)  ratio');
  const transports = [{ transport: 'direct', relayOnly: false }, { transport: 'relay', relayOnly: true }];
  for (const { transport, relayOnly } of transports.filter((t) => !values.only || t.transport === values.only)) {
    const opened = await openRoom(browser, site, huddle.origin, `bench_state_${transport}_${Date.now().toString(36)}`, NAMES, { relayOnly, transport });
    const pages = NAMES.map((n) => opened[n]);
    // The room state's module loads at the first use: not part of the figure.
    await Promise.all(pages.map((p) => p.evaluate(() => window.room.state.entries())));
    await pages[0].evaluate(() => window.room.state.set('warm', true));
    await new Promise((r) => setTimeout(r, 1000));
    const state = [];
    const send = [];
    for (let round = 0; round < reps; round++) {
      // Alternate which goes first, so neither always meets a machine the other warmed up.
      if (round % 2 === 0) {
        state.push(await burst(pages, round, 'state'));
        send.push(await burst(pages, round, 'send'));
      } else {
        send.push(await burst(pages, round, 'send'));
        state.push(await burst(pages, round, 'state'));
      }
    }
    const s = median(state);
    const b = median(send);
    console.log(`${transport.padEnd(9)}  ${String(s).padStart(7)} ms  ${String(b).padStart(13)} ms        ${(s / b).toFixed(2)}×   (state ${state.join(', ')}; send ${send.join(', ')})`);
    for (const page of pages) await page.context().close();
  }
} finally {
  await browser.close();
  await site.stop();
  await huddle.stop();
}
