// huddle's client against the raw browser APIs, side by side in one run (issue 12): round trips
// of ~100-byte messages between two headless Chromium pages over a raw RTCDataChannel and over
// huddle's direct link, and through a raw WebSocket on the bare `ws` relay (bench/ws_relay.mjs)
// and through huddle-server's relay (a relay-only room). Repetitions alternate between the four,
// so a noisy machine slows them alike. Prints p50/p99 per path and huddle's ratio to its baseline,
// and what an embedding page downloads (huddle.js + Wasm, gzipped). A figure, not a test.
// After a full build:
//   node bench/client_compare.mjs [--pings N] [--reps N]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { launchBrowser, newPage } from '../tests/e2e/helpers/browser.mjs';
import { openRoom, startLibrarySite } from '../tests/e2e/helpers/files.mjs';
import { repoRoot, startServer } from '../tests/support/huddle_server.mjs';

const { values } = parseArgs({ options: { pings: { type: 'string', default: '300' }, reps: { type: 'string', default: '3' } } });
const PINGS = Number(values.pings);
const REPS = Number(values.reps);
const PAD = 'x'.repeat(80); // with the counter and JSON around it, ~100 bytes a message

function startWsRelay() {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bench/ws_relay.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = String(d).match(/listening on (\d+)/);
      if (m) resolve({ url: `ws://127.0.0.1:${m[1]}`, stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`ws relay exited with ${code}`)));
  });
}

// --- the four paths: each sets up a pair once, with `window.round(i)` in the first page: one
// message out and its echo back. timeRounds times n of them in that page. ---

/** Round-trip times, ms, of `n` calls of the page's `window.round` after one another. */
function timeRounds(page, n) {
  return page.evaluate(async ([n, pad]) => {
    const times = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await window.round(i, pad);
      times.push(performance.now() - t);
    }
    return times;
  }, [n, PAD]);
}

async function rawDirect(browser, site) {
  const [a, b] = [await newPage(browser, 'rawA'), await newPage(browser, 'rawB')];
  for (const p of [a, b]) await p.goto(site.origin);
  // Non-trickle: each side's description once its candidates are gathered, handed over by us.
  const setup = () => {
    window.pc = new RTCPeerConnection();
    window.gathered = () => new Promise((r) => {
      if (window.pc.iceGatheringState === 'complete') return r();
      window.pc.addEventListener('icegatheringstatechange', () => window.pc.iceGatheringState === 'complete' && r());
    });
  };
  await a.evaluate(setup);
  await b.evaluate(setup);
  const offer = await a.evaluate(async () => {
    window.dc = window.pc.createDataChannel('bench');
    await window.pc.setLocalDescription(await window.pc.createOffer());
    await window.gathered();
    return window.pc.localDescription.toJSON();
  });
  const answer = await b.evaluate(async (offer) => {
    window.pc.ondatachannel = (e) => {
      window.dc = e.channel;
      window.dc.onmessage = (m) => window.dc.send(m.data); // the echo
    };
    await window.pc.setRemoteDescription(offer);
    await window.pc.setLocalDescription(await window.pc.createAnswer());
    await window.gathered();
    return window.pc.localDescription.toJSON();
  }, offer);
  await a.evaluate(async (answer) => {
    await window.pc.setRemoteDescription(answer);
    if (window.dc.readyState !== 'open') await new Promise((r) => (window.dc.onopen = r));
  }, answer);
  await b.waitForFunction(() => window.dc?.readyState === 'open');
  await a.evaluate(() => {
    window.round = (n, pad) => new Promise((r) => {
      window.dc.onmessage = r;
      window.dc.send(JSON.stringify({ n, pad }));
    });
  });
  return { rounds: (n) => timeRounds(a, n) };
}

async function rawRelay(browser, site, relay) {
  const [a, b] = [await newPage(browser, 'wsA'), await newPage(browser, 'wsB')];
  const room = `bench-${Date.now().toString(36)}`;
  for (const [p, echo] of [[b, true], [a, false]]) {
    await p.goto(site.origin);
    await p.evaluate(([url, room, echo]) => new Promise((resolve) => {
      const ws = new WebSocket(url);
      window.ws = ws;
      ws.onopen = () => ws.send(JSON.stringify({ type: 'join', room }));
      ws.onmessage = (e) => {
        const m = JSON.parse(e.data);
        if (m.type === 'joined') return resolve();
        if (echo && m.type === 'broadcast') ws.send(JSON.stringify({ type: 'broadcast', data: m.data }));
        else window.onRelayed?.(m);
      };
    }), [relay.url, room, echo]);
  }
  await a.evaluate(() => {
    window.round = (n, pad) => new Promise((r) => {
      window.onRelayed = r;
      window.ws.send(JSON.stringify({ type: 'broadcast', data: { n, pad } }));
    });
  });
  return { rounds: (n) => timeRounds(a, n) };
}

async function huddlePair(browser, site, origin, relayOnly) {
  const transport = relayOnly ? 'relay' : 'direct';
  const pages = await openRoom(browser, site, origin, `bench_${transport}_${Date.now().toString(36)}`, ['a', 'b'], { relayOnly, transport });
  await pages.b.evaluate(() => window.room.on('message', (m) => window.room.sendTo(m.from, m.data)));
  const bId = await pages.b.evaluate(() => window.room.selfId);
  await pages.a.evaluate((to) => {
    window.round = (n, pad) => new Promise((r) => {
      const off = window.room.on('message', () => {
        off();
        r();
      });
      window.room.sendTo(to, { n, pad });
    });
  }, bId);
  return { rounds: (n) => timeRounds(pages.a, n) };
}

// --- run ---

const quantile = (xs, q) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const gzipSize = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

const huddle = await startServer();
const site = await startLibrarySite(huddle.origin);
const relay = await startWsRelay();
const browser = await launchBrowser();
try {
  const paths = {
    'raw RTCDataChannel': await rawDirect(browser, site),
    'huddle direct': await huddlePair(browser, site, huddle.origin, false),
    'raw WebSocket, ws relay': await rawRelay(browser, site, relay),
    'huddle relay-only room': await huddlePair(browser, site, huddle.origin, true),
  };
  const times = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
  for (const p of Object.values(paths)) await p.rounds(20); // warm up
  for (let rep = 0; rep < REPS; rep++) {
    for (const [name, p] of Object.entries(paths)) times[name].push(...(await p.rounds(PINGS)));
  }
  console.log(`round trips of ~100-byte messages, ${REPS} alternating repetitions of ${PINGS}, ms`);
  console.log('path                        p50     p99');
  const p50 = {};
  const p99 = {};
  for (const [name, xs] of Object.entries(times)) {
    p50[name] = quantile(xs, 0.5);
    p99[name] = quantile(xs, 0.99);
    console.log(`${name.padEnd(26)} ${p50[name].toFixed(2).padStart(6)}  ${p99[name].toFixed(2).padStart(6)}`);
  }
  const ratio = (h, r) => `${(p50[h] / p50[r]).toFixed(1)}× (p99 ${(p99[h] / p99[r]).toFixed(1)}×)`;
  console.log(`huddle direct / raw RTCDataChannel: ${ratio('huddle direct', 'raw RTCDataChannel')}`);
  console.log(`huddle relay / ws relay:            ${ratio('huddle relay-only room', 'raw WebSocket, ws relay')}`);

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
