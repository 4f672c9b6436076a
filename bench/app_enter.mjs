// How long the app takes a person, fresh page (empty cache) by fresh page: from opening it to the
// lobby's Create button, and from a click on Create (once the page is loaded: the person typed
// a name meanwhile) to the room view. The app loads its room part when the lobby is first used
// or a join starts (web/src/app/load_in_room.ts); this shows whether that makes entering a room
// any slower. A diagnostic, not a test. After a build (HUDDLE_SERVER_BIN picks the server):
//   node bench/app_enter.mjs [--runs 10] [--compare DIST_A,DIST_B] [--rtt MS] [--remembered]
// --compare: two builds of the web app side by side, a server each, in alternating order;
// --rtt: the server that far away (bench/delay_proxy.mjs), the chunks and the WebSocket alike;
// --remembered: the name is remembered from an earlier visit, and the pointer comes over Create
// only as it is clicked (a person's hand takes 100 ms and more): the room part then loads
// alongside the join, the case where it could cost time.
import { parseArgs } from 'node:util';
import { launchBrowser, newPage } from '../tests/e2e/helpers/browser.mjs';
import { startServer } from '../tests/support/huddle_server.mjs';
import { delayProxy } from './delay_proxy.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    compare: { type: 'string' },
    rtt: { type: 'string', default: '0' },
    remembered: { type: 'boolean', default: false },
  },
});

/** One fresh page: [ms to the Create button, ms from the click to the room view]. */
async function once(browser, origin) {
  const page = await newPage(browser, 'app');
  try {
    if (values.remembered) await page.addInitScript(() => localStorage.setItem('huddle.name', 'Bench'));
    await page.goto(`${origin}/`);
    await page.getByTestId('create-button').waitFor();
    const lobby = await page.evaluate(() => performance.now());
    if (!values.remembered) {
      await page.getByTestId('name-input').click();
      await page.getByTestId('name-input').pressSequentially('Bench');
    }
    await page.waitForLoadState('networkidle');
    // Stamped in the page: the click and the first frame where the room view is in the document.
    const enter = await page.evaluate(() => new Promise((resolve) => {
      const seen = () => document.querySelector('[data-testid="room-code"]');
      const t0 = performance.now();
      const observer = new MutationObserver(() => {
        if (!seen()) return;
        observer.disconnect();
        resolve(performance.now() - t0);
      });
      observer.observe(document.body, { childList: true, subtree: true });
      const create = document.querySelector('[data-testid="create-button"]');
      create.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
      create.click();
    }));
    if (page.problems.length) throw new Error(page.problems.join('\n'));
    return [lobby, enter];
  } finally {
    await page.context().close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

const builds = values.compare ? values.compare.split(',') : [null];
const servers = [];
for (const dir of builds) {
  const huddle = await startServer(dir ? ['--static-dir', dir] : []);
  const proxy = Number(values.rtt) > 0 ? await delayProxy(huddle.origin, Number(values.rtt) / 2) : null;
  servers.push({ dir: dir ?? 'web/dist', huddle, proxy, origin: proxy ? proxy.origin : huddle.origin, lobby: [], enter: [] });
}
const browser = await launchBrowser();
try {
  for (let rep = 0; rep < Number(values.runs); rep++) {
    for (const s of rep % 2 ? [...servers].reverse() : servers) {
      const [lobby, enter] = await once(browser, s.origin);
      s.lobby.push(lobby);
      s.enter.push(enter);
    }
  }
  console.log(`fresh pages, rtt ${values.rtt} ms${values.remembered ? ', name remembered' : ''}, medians of ${values.runs} (ms)`);
  for (const s of servers) {
    console.log(`${s.dir}: page to Create button ${median(s.lobby).toFixed(0)}, click to room view ${median(s.enter).toFixed(0)}`
      + `  (click to room view: ${s.enter.map((x) => x.toFixed(0)).join(' ')})`);
  }
} finally {
  await browser.close();
  for (const s of servers) {
    s.proxy?.close();
    await s.huddle.stop();
  }
}
