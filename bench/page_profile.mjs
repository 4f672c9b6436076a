// Where a page's time goes during direct ping-pongs (issue 12, "Direct latency"): two pages in a
// huddle room (or a raw RTCDataChannel pair with --raw), page a posts ~100 bytes and awaits the
// echo, page b echoes. Chromium's sampling profiler (25 us) records one page over 3,000 rounds;
// the table is its self time per round by function, the top 30. A diagnostic, not a test: the
// profiler's interrupts inflate what it measures, so compare builds in the same run of the
// machine, and read the ratios. With --count, it instead counts the page's setTimeout and
// clearTimeout calls over 1,000 rounds, by delay and caller (deterministic, unlike time).
//   node bench/page_profile.mjs [--dist DIR] [--page a|b] [--raw] [--count]
// A build with function names reads better: `cmake --build build/wasm --target huddle_client_names`
// (NODE_PATH=/usr/share/nodejs), copied over web/src/generated/huddle_client.{js,wasm}, then
// `vite build --config web/vite.embed.config.ts --outDir /tmp/names --minify false` (and the
// generated files put back).
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../tests/e2e/helpers/browser.mjs';
import { repoRoot } from '../tests/support/huddle_server.mjs';
import { closePair, huddlePair, rawDirectPair } from './client_compare/pairs.mjs';
import { startServing } from './client_compare/serving.mjs';
import { printTable } from './client_compare/stats.mjs';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: path.join(repoRoot, 'web/dist') },
    page: { type: 'string', default: 'b' },
    raw: { type: 'boolean', default: false },
    count: { type: 'boolean', default: false },
  },
});

function startSite(origin) {
  const page = `<!doctype html><meta charset="utf-8"><title>profile</title>
<script type="module">import * as huddle from '${origin}/huddle.js'; window.huddle = huddle;</script>`;
  const server = http.createServer((req, res) => res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html' })
    .end(req.url === '/' ? page : ''));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    origin: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => server.close(r)),
  })));
}

const server = await startServing(values.dist);
const site = await startSite(server.origin);
const browser = await launchBrowser();
const pair = values.raw ? await rawDirectPair(browser, site) : await huddlePair(browser, site, server.origin, false);
const page = pair[values.page];
try {
  await pair.b.evaluate(() => (window.onMsg = (d) => window.post(d)));
  const ping = (n) => pair.a.evaluate(async (n) => {
    const pad = 'x'.repeat(80);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await new Promise((r) => { window.onMsg = r; window.post({ n: i, pad }); });
    return (performance.now() - t0) / n;
  }, n);
  await ping(300); // warm up
  if (values.count) {
    await page.evaluate(() => {
      window.timerCalls = {};
      const count = (key) => (window.timerCalls[key] = (window.timerCalls[key] ?? 0) + 1);
      const set = window.setTimeout;
      window.setTimeout = function (f, delay, ...rest) {
        count(`setTimeout(${Math.round(delay ?? 0)}) from ${new Error().stack.split('\n')[2].trim().slice(3, 60)}`);
        return set.call(this, f, delay, ...rest);
      };
      const clear = window.clearTimeout;
      window.clearTimeout = function (handle) {
        count('clearTimeout');
        return clear.call(this, handle);
      };
    });
    await ping(1000);
    const calls = await page.evaluate(() => window.timerCalls);
    console.log(`\n== timer calls on page ${values.page} over 1,000 rounds`);
    printTable(['call', 'count'], Object.entries(calls).sort((x, y) => y[1] - x[1]), { left: [0] });
  } else {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 25 });
    await cdp.send('Profiler.start');
    const rounds = 3000;
    const perRound = await ping(rounds);
    const { profile } = await cdp.send('Profiler.stop');
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map();
    profile.samples.forEach((id, i) => {
      const { functionName, url, lineNumber } = nodes.get(id).callFrame;
      const key = `${functionName || '(anonymous)'} ${url ? `${url.split('/').pop()}:${lineNumber}` : ''}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    console.log(`\n== page ${values.page}, ${values.raw ? 'raw RTCDataChannel' : values.dist}: round trip ${perRound.toFixed(3)} ms; self time per round, us`);
    printTable(['function', 'us / round'], [...self].sort((x, y) => y[1] - x[1]).slice(0, 30)
      .map(([k, us]) => [k, (us / rounds).toFixed(2)]), { left: [0] });
  }
} finally {
  await closePair(pair);
  await browser.close();
  server.stop();
  await site.stop();
}
