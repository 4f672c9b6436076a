// Where a direct round trip's time goes (issue 12, "Direct latency"): the ping-pong of
// client_compare's rtt section (page a posts ~100 bytes, page b posts it straight back) on a raw
// RTCDataChannel and on huddle direct links built from one or more dist directories, side by side
// in alternating repetitions. The pages are cross-origin isolated (COOP/COEP), so performance.now()
// has 5 us steps instead of 100, and every data channel's send() and message events are stamped,
// as is the bench's own window.post. Per round trip, as medians of the repetitions' medians:
//   cycle            a's send() to its next send(): the round trip with both pages' work
//   b in page        b's message event to b's send(): what b does before the reply leaves
//     of which event->post / post->send: receiving (up to the app's handler), sending (from it)
//   a in page        a's message event to its next send() (the same, the app awaiting a promise)
//   send() calls     how long a's and b's send() calls took (Chromium's own; they vary with load)
// and the cycle's ratio to the raw channel's. A diagnostic, not a test.
//   node bench/rtt_breakdown.mjs [--compare NAME=DIST,NAME=DIST] [--reps 7] [--pings 300]
// Without --compare, huddle is web/dist. HUDDLE_SERVER_BIN picks the server, as for the tests.
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../tests/e2e/helpers/browser.mjs';
import { repoRoot } from '../tests/support/huddle_server.mjs';
import { closePair, huddlePair, rawDirectPair } from './client_compare/pairs.mjs';
import { startServing } from './client_compare/serving.mjs';
import { median, printTable } from './client_compare/stats.mjs';

const { values } = parseArgs({
  options: {
    compare: { type: 'string' },
    reps: { type: 'string', default: '7' },
    pings: { type: 'string', default: '300' },
  },
});
const builds = (values.compare ?? `huddle=${path.join(repoRoot, 'web/dist')}`).split(',').map((s) => s.split('='));

/** A cross-origin isolated page that imports huddle.js from `origin` (pairs.mjs's site, isolated). */
function startIsolatedSite(origin) {
  const page = `<!doctype html><meta charset="utf-8"><title>rtt</title>
<script type="module">import * as huddle from '${origin}/huddle.js'; window.huddle = huddle;</script>`;
  const server = http.createServer((req, res) => {
    if (req.url !== '/') return res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'credentialless',
    }).end(page);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    origin: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => server.close(r)),
  })));
}

// Runs in every page before its scripts: stamps [kind, ms] into window.stamps, kind 's' before a
// data channel's send(), 'S' after it, 'm' on a message event (a listener added before the page's
// own, on every channel it creates or is given).
function instrument() {
  window.stamps = [];
  const stamp = (kind) => window.stamps.push([kind, performance.now()]);
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    stamp('s');
    try {
      return send.call(this, data);
    } finally {
      stamp('S');
    }
  };
  const watch = (channel) => channel.addEventListener('message', () => stamp('m'));
  const create = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (...args) {
    const channel = create.apply(this, args);
    watch(channel);
    return channel;
  };
  const listen = RTCPeerConnection.prototype.addEventListener;
  RTCPeerConnection.prototype.addEventListener = function (type, f, ...rest) {
    return listen.call(this, type, type === 'datachannel' ? (e) => { watch(e.channel); f(e); } : f, ...rest);
  };
  Object.defineProperty(RTCPeerConnection.prototype, 'ondatachannel', { set(f) { this.addEventListener('datachannel', f); } });
}

/** Round trips on `pair`, and each one's parts (ms), from the stamps of both pages. */
async function timeRounds(pair, n) {
  for (const page of [pair.a, pair.b]) await page.evaluate(() => (window.stamps = []));
  await pair.a.evaluate(async (n) => {
    const pad = 'x'.repeat(80);
    for (let i = 0; i < n; i++) await new Promise((r) => { window.onMsg = r; window.post({ n: i, pad }); });
  }, n);
  const of = async (page) => {
    const stamps = await page.evaluate(() => window.stamps);
    const kinds = {};
    for (const [kind, t] of stamps) (kinds[kind] ??= []).push(t);
    return kinds;
  };
  const [a, b] = [await of(pair.a), await of(pair.b)];
  const parts = { cycle: [], bInPage: [], bToPost: [], bPostToSend: [], aInPage: [], aSendCall: [], bSendCall: [] };
  // A huddle link also carries its own pings now and then: those rounds are skipped when the
  // counts no longer line up (rare; the medians do not notice).
  const rounds = Math.min(a.s.length, a.m.length, b.s.length, b.m.length, a.p.length, b.p.length) - 1;
  for (let i = 0; i < rounds; i++) {
    parts.cycle.push(a.s[i + 1] - a.s[i]);
    parts.bInPage.push(b.s[i] - b.m[i]);
    parts.bToPost.push(b.p[i] - b.m[i]);
    parts.bPostToSend.push(b.s[i] - b.p[i]);
    parts.aInPage.push(a.s[i + 1] - a.m[i]);
    parts.aSendCall.push(a.S[i] - a.s[i]);
    parts.bSendCall.push(b.S[i] - b.s[i]);
  }
  return parts;
}

const browser = await launchBrowser();
const newContext = browser.newContext.bind(browser);
browser.newContext = async (...args) => {
  const context = await newContext(...args);
  await context.addInitScript(instrument);
  return context;
};
const stops = [];
const pairs = {};
try {
  const rawSite = await startIsolatedSite('http://127.0.0.1:9'); // (the raw pages import nothing)
  stops.push(rawSite.stop);
  pairs['raw RTCDataChannel'] = await rawDirectPair(browser, rawSite);
  for (const [name, dir] of builds) {
    const server = await startServing(dir);
    const site = await startIsolatedSite(server.origin);
    stops.push(server.stop, site.stop);
    pairs[name] = await huddlePair(browser, site, server.origin, false);
  }
  for (const pair of Object.values(pairs)) {
    if (!(await pair.a.evaluate(() => crossOriginIsolated))) throw new Error('the pages are not cross-origin isolated');
    for (const page of [pair.a, pair.b]) {
      await page.evaluate(() => {
        const post = window.post;
        window.post = (d) => {
          window.stamps.push(['p', performance.now()]);
          return post(d);
        };
      });
    }
    await pair.b.evaluate(() => (window.onMsg = (d) => window.post(d))); // the echo
    await timeRounds(pair, 30); // warm up
  }
  const reps = Object.fromEntries(Object.keys(pairs).map((k) => [k, []]));
  for (let rep = 0; rep < Number(values.reps); rep++) {
    for (const [name, pair] of Object.entries(pairs)) reps[name].push(await timeRounds(pair, Number(values.pings)));
  }
  const of = (name, part) => median(reps[name].map((r) => median(r[part])));
  const raw = of('raw RTCDataChannel', 'cycle');
  const ms = (x) => x.toFixed(3);
  console.log(`\n== direct round trips of ~100-byte messages: medians of ${values.reps} alternating repetitions of ${values.pings}, ms`);
  printTable(
    ['path', 'cycle', '/ raw', 'b in page', '(event->post', 'post->send)', 'a in page', 'a send()', 'b send()'],
    Object.keys(pairs).map((name) => [name, ms(of(name, 'cycle')), `${(of(name, 'cycle') / raw).toFixed(2)}×`,
      ms(of(name, 'bInPage')), ms(of(name, 'bToPost')), ms(of(name, 'bPostToSend')), ms(of(name, 'aInPage')),
      ms(of(name, 'aSendCall')), ms(of(name, 'bSendCall'))]),
  );
} finally {
  for (const pair of Object.values(pairs)) await closePair(pair);
  await browser.close();
  for (const stop of stops) await stop();
}
