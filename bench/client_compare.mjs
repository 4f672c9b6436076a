// huddle's client against the raw browser APIs, side by side in one run (issue 12), between headless
// Chromium pages and a real huddle-server. Sections (bench/client_compare/*.mjs):
//   rtt    round trips of ~100-byte messages: raw RTCDataChannel vs huddle direct, raw WebSocket on
//          the bare `ws` relay (bench/ws_relay.mjs) vs a relay-only huddle room; p50/p99
//   bulk   3,000 reliable 1 KiB messages a → b with flow control, on the same four paths; msg/s
//   join   until every page is direct to every other: raw RTCPeerConnection pair vs huddle 2 and
//          3 pages, fresh pages
//   bytes  what the app page, an embedding page and an experience iframe download, as served
// Repetitions alternate between a figure and its baseline, so a noisy machine slows them alike.
// Ends with a summary: huddle / baseline next to the targets. A figure, not a test.
// After a build (HUDDLE_SERVER_BIN picks the server, as for the tests):
//   node bench/client_compare.mjs [--only rtt,bulk,join,bytes] [--pings N] [--reps N]
//     [--messages N] [--bulk-reps N] [--window N] [--join-reps N]
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../tests/e2e/helpers/browser.mjs';
import { startLibrarySite } from '../tests/e2e/helpers/files.mjs';
import { serverBinary, startServer } from '../tests/support/huddle_server.mjs';
import { runBulk } from './client_compare/bulk.mjs';
import { runBytes } from './client_compare/bytes.mjs';
import { runJoin } from './client_compare/join.mjs';
import { closePair, huddlePair, rawDirectPair, rawRelayPair, startWsRelay } from './client_compare/pairs.mjs';
import { runRtt } from './client_compare/rtt.mjs';
import { fmt, kb, printTable } from './client_compare/stats.mjs';

const SECTIONS = ['rtt', 'bulk', 'join', 'bytes'];
const { values } = parseArgs({
  options: {
    only: { type: 'string', default: SECTIONS.join(',') },
    pings: { type: 'string', default: '200' }, // round trips per path and repetition
    reps: { type: 'string', default: '3' }, // round-trip repetitions
    messages: { type: 'string', default: '3000' }, // bulk messages per run
    'bulk-reps': { type: 'string', default: '3' },
    window: { type: 'string', default: '256' }, // huddle's unacknowledged messages in flight (bulk)
    'join-reps': { type: 'string', default: '5' },
  },
});
const only = new Set(values.only.split(',').map((s) => s.trim()));
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(', ')})`);

const started = Date.now();
// Its pages are on another origin (another port); the Origin check is tested, not timed.
const huddle = await startServer(['--allowed-origins', '*']);
const site = await startLibrarySite(huddle.origin);
const relay = await startWsRelay();
// Interrupted (Ctrl-C, timeout): the servers are our children and would outlive us.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    relay.stop();
    huddle.kill();
    process.exit(130);
  });
}
const browser = await launchBrowser();
console.log(`huddle-server: ${serverBinary} (built ${fs.statSync(serverBinary).mtime.toISOString()})\nChromium ${browser.version()}`);
const results = {};
try {
  if (only.has('rtt') || only.has('bulk')) {
    const pairs = {
      'raw RTCDataChannel': await rawDirectPair(browser, site),
      'huddle direct': await huddlePair(browser, site, huddle.origin, false),
      'raw WebSocket, ws relay': await rawRelayPair(browser, site, relay),
      'huddle relay-only room': await huddlePair(browser, site, huddle.origin, true),
    };
    if (only.has('rtt')) results.rtt = await runRtt(pairs, { pings: Number(values.pings), reps: Number(values.reps) });
    if (only.has('bulk')) {
      results.bulk = await runBulk(pairs, { messages: Number(values.messages), reps: Number(values['bulk-reps']), window: Number(values.window) });
    }
    for (const pair of Object.values(pairs)) await closePair(pair);
  }
  if (only.has('join')) results.join = await runJoin(browser, site, huddle.origin, { reps: Number(values['join-reps']) });
  if (only.has('bytes')) results.bytes = await runBytes(browser, site, huddle.origin);
} finally {
  await browser.close();
  relay.stop();
  await site.stop();
  await huddle.stop();
}
printSummary(results);
console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);

/** huddle / baseline next to the targets, one line per figure that was run. */
function printSummary({ rtt, bulk, join, bytes }) {
  const rows = [];
  // [figure, huddle, baseline, ratio, target, met]
  const ratioRow = (what, h, b, digits, target, ok) => rows.push([what, fmt(h, digits), fmt(b, digits), `${fmt(h / b, 2)}×`, target, ok(h / b) ? 'yes' : 'no']);
  if (rtt) {
    ratioRow('direct round trip p50, ms (raw RTCDataChannel)', rtt['huddle direct'].p50, rtt['raw RTCDataChannel'].p50, 2, '≤ 1.3×', (r) => r <= 1.3);
    ratioRow('relay round trip p50, ms (bare ws relay)', rtt['huddle relay-only room'].p50, rtt['raw WebSocket, ws relay'].p50, 2, '≤ 1.5×', (r) => r <= 1.5);
  }
  if (bulk) {
    ratioRow('bulk direct, msg/s (raw RTCDataChannel)', bulk['huddle direct'].msgsPerS, bulk['raw RTCDataChannel'].msgsPerS, 0, '≥ 0.70×', (r) => r >= 0.7);
    const r = bulk['huddle relay-only room'].msgsPerS / bulk['raw WebSocket, ws relay'].msgsPerS;
    rows.push(['bulk relay, msg/s (bare ws relay)', fmt(bulk['huddle relay-only room'].msgsPerS, 0), fmt(bulk['raw WebSocket, ws relay'].msgsPerS, 0), `${fmt(r, 2)}×`, '', '']);
  }
  if (join) {
    ratioRow('join 2 pages, fresh pages, ms (raw pair)', join.cold2, join.cold2Raw, 0, '≤ 1.5×', (r) => r <= 1.5);
    ratioRow('join 2 pages, again, ms (raw pair)', join.warm2, join.warm2Raw, 0, '≤ 1.5×', (r) => r <= 1.5);
    rows.push(['join 3 pages, fresh pages, ms', fmt(join.cold3, 0), '', '', '≤ 400 ms', join.cold3 <= 400 ? 'yes' : 'no']);
    rows.push(['join 3 pages, again, ms', fmt(join.warm3, 0), '', '', '≤ 400 ms', join.warm3 <= 400 ? 'yes' : 'no']);
  }
  if (bytes) {
    // Second column: what a browser that accepts gzip only gets (the dist's .gz copies); the
    // targets are gzipped sizes, so that column is the one checked.
    const met = (b, target) => (b <= target * 1024 ? 'yes' : 'no');
    rows.push(['embedding page, KB as served (brotli; gzip)', kb(bytes.embed.served), kb(bytes.embed.gzip), '', '≤ 60 KB gzipped', met(bytes.embed.gzip, 60)]);
    rows.push(['app page, KB as served (brotli; gzip)', kb(bytes.app.served), kb(bytes.app.gzip), '', '≤ 80 KB gzipped', met(bytes.app.gzip, 80)]);
    rows.push(['app page, then in a room, KB as served (brotli; gzip)', kb(bytes.appRoom.served), kb(bytes.appRoom.gzip), '', '', '']);
    rows.push(['experience iframe, KB as served (brotli; gzip)', kb(bytes.iframe.served), kb(bytes.iframe.gzip), '', '', '']);
  }
  console.log('\n== summary: huddle next to its baseline (in brackets) and the targets of issue 12');
  printTable(['figure (baseline)', 'huddle', 'baseline', 'huddle/base', 'target', 'met'], rows, { left: [0, 4] });
}
