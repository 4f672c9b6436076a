// huddle's client against the raw browser APIs, side by side in one run (issue 12), between headless
// Chromium pages and a real huddle-server. Sections (bench/client_compare/*.mjs):
//   rtt    round trips of ~100-byte messages: raw RTCDataChannel vs huddle direct, raw WebSocket on
//          the bare `ws` relay (bench/ws_relay.mjs) vs a relay-only huddle room; p50/p99
//   bulk   3,000 reliable 1 KiB messages a → b with flow control, on the same four paths; msg/s
//   join   until every page is direct to every other: raw RTCPeerConnection pair vs huddle 2 and
//          3 pages, fresh pages
// and what an embedding page downloads (huddle.js + Wasm, gzipped).
// Repetitions alternate between a figure and its baseline, so a noisy machine slows them alike.
// A figure, not a test. After a build (HUDDLE_SERVER_BIN picks the server, as for the tests):
//   node bench/client_compare.mjs [--pings N] [--reps N] [--messages N] [--bulk-reps N] [--window N]
//     [--join-reps N]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { launchBrowser } from '../tests/e2e/helpers/browser.mjs';
import { startLibrarySite } from '../tests/e2e/helpers/files.mjs';
import { repoRoot, serverBinary, startServer } from '../tests/support/huddle_server.mjs';
import { runBulk } from './client_compare/bulk.mjs';
import { runJoin } from './client_compare/join.mjs';
import { closePair, huddlePair, rawDirectPair, rawRelayPair, startWsRelay } from './client_compare/pairs.mjs';
import { runRtt } from './client_compare/rtt.mjs';

const { values } = parseArgs({
  options: {
    pings: { type: 'string', default: '200' }, // round trips per path and repetition
    reps: { type: 'string', default: '3' }, // round-trip repetitions
    messages: { type: 'string', default: '3000' }, // bulk messages per run
    'bulk-reps': { type: 'string', default: '3' },
    window: { type: 'string', default: '256' }, // huddle's unacknowledged messages in flight (bulk)
    'join-reps': { type: 'string', default: '5' },
  },
});
const gzipSize = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

const huddle = await startServer();
const site = await startLibrarySite(huddle.origin);
const relay = await startWsRelay();
const browser = await launchBrowser();
console.log(`huddle-server: ${serverBinary} (built ${fs.statSync(serverBinary).mtime.toISOString()})\nChromium ${browser.version()}`);
try {
  const pairs = {
    'raw RTCDataChannel': await rawDirectPair(browser, site),
    'huddle direct': await huddlePair(browser, site, huddle.origin, false),
    'raw WebSocket, ws relay': await rawRelayPair(browser, site, relay),
    'huddle relay-only room': await huddlePair(browser, site, huddle.origin, true),
  };
  const rtt = await runRtt(pairs, { pings: Number(values.pings), reps: Number(values.reps) });
  const ratio = (h, r) => `${(rtt[h].p50 / rtt[r].p50).toFixed(1)}× (p99 ${(rtt[h].p99 / rtt[r].p99).toFixed(1)}×)`;
  console.log(`huddle direct / raw RTCDataChannel: ${ratio('huddle direct', 'raw RTCDataChannel')}`);
  console.log(`huddle relay / ws relay:            ${ratio('huddle relay-only room', 'raw WebSocket, ws relay')}`);
  const bulk = await runBulk(pairs, { messages: Number(values.messages), reps: Number(values['bulk-reps']), window: Number(values.window) });
  const rate = (h, r) => `${(bulk[h].msgsPerS / bulk[r].msgsPerS).toFixed(2)}×`;
  console.log(`huddle direct / raw RTCDataChannel: ${rate('huddle direct', 'raw RTCDataChannel')}; huddle relay / ws relay: ${rate('huddle relay-only room', 'raw WebSocket, ws relay')}`);
  for (const pair of Object.values(pairs)) await closePair(pair);
  const join = await runJoin(browser, site, huddle.origin, { reps: Number(values['join-reps']) });
  console.log(`huddle / raw, 2 pages: ${(join.cold2 / join.cold2Raw).toFixed(2)}× fresh, ${(join.warm2 / join.warm2Raw).toFixed(2)}× again`);

  const dist = path.join(repoRoot, 'web/dist');
  const wasm = fs.readdirSync(path.join(dist, 'assets')).find((f) => f.endsWith('.wasm'));
  const js = gzipSize(path.join(dist, 'huddle.js'));
  const bin = wasm ? gzipSize(path.join(dist, 'assets', wasm)) : 0;
  console.log(`an embedding page downloads, gzipped: huddle.js ${(js / 1024).toFixed(1)} KB + Wasm ${(bin / 1024).toFixed(1)} KB = ${((js + bin) / 1024).toFixed(1)} KB`);
} finally {
  await browser.close();
  relay.stop();
  await site.stop();
  await huddle.stop();
}
