// Where a huddle join's time goes (issue 12, "join time"): N fresh headless Chromium pages join
// one room at once, as in client_compare's join section, with the browser APIs a join uses wrapped
// in each page (WebSocket frames, RTCPeerConnection calls and events, data channels, the Wasm
// fetch and compile) and huddle's debug log, all stamped with the pages' shared clock. Prints one
// merged timeline per run, in ms from the first joinRoom call. A diagnostic, not a test.
//   node bench/join_timeline.mjs [--pages 2] [--runs 1] [--debug] [--again] [--quiet] [--preload]
//     [--compare DIST_A,DIST_B] [--rtt MS]
// --debug also records huddle's own log lines (console.debug; costs a little); --again times a
// second join on the same pages (a new room: the Wasm loaded, WebRTC warmed up).
import { parseArgs } from 'node:util';
import { launchBrowser, newPage } from '../tests/e2e/helpers/browser.mjs';
import { startLibrarySite } from '../tests/e2e/helpers/files.mjs';
import { startServer } from '../tests/support/huddle_server.mjs';
import { delayProxy } from './delay_proxy.mjs';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '2' },
    runs: { type: 'string', default: '1' },
    debug: { type: 'boolean', default: false },
    again: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false }, // the phases only, not every line
    // Each page calls huddle.preload() once it has imported huddle.js: the Wasm loads while the
    // other pages open. Builds since the module loads at import do that anyway; this is for
    // comparing older ones.
    preload: { type: 'boolean', default: false },
    compare: { type: 'string' },
    // Puts the server this far away (ms, round trip): a TCP proxy holds every chunk rtt/2 each
    // way, the Wasm download and the WebSocket alike. Localhost answers in a few ms, which
    // hides what a join waits on; a real server is tens of ms away.
    rtt: { type: 'string', default: '0' },
  },
});

// Runs in every page before its scripts: wraps what a join touches, recording [ms, what].
function instrument() {
  const now = () => performance.timeOrigin + performance.now();
  const events = [];
  window.tl = events;
  const mark = (what) => events.push([now(), what]);
  window.tlMark = mark;
  const brief = (text) => {
    try {
      const m = JSON.parse(text);
      if (m.t === 'signal') return `signal ${m.to ? `to ${m.to}` : `from ${m.from}`} ${m.data.kind}${m.data.candidate ? ` ${m.data.candidate.split(' ').slice(4, 8).join(' ')}` : ''}`;
      if (m.t === 'room_joined') return `room_joined (${m.peers.length} members)`;
      if (m.t === 'peer_joined') return `peer_joined ${m.peer.id}`;
      if (m.t === 'welcome') return `welcome ${m.id} iceServers=${JSON.stringify(m.iceServers)}`;
      return m.t;
    } catch {
      return text.slice(0, 40);
    }
  };
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(...args) {
      super(...args);
      mark('ws: new');
      this.addEventListener('open', () => mark('ws: open'));
      this.addEventListener('message', (e) => mark(`ws ⇐ ${brief(e.data)}`));
    }
    send(data) {
      mark(`ws ⇒ ${brief(data)}`);
      return super.send(data);
    }
  };
  const NativePC = window.RTCPeerConnection;
  let pcs = 0;
  window.RTCPeerConnection = class extends NativePC {
    constructor(...args) {
      const t = now();
      super(...args);
      const n = ++pcs;
      this.n = n;
      events.push([t, `pc${n}: new (took ${(now() - t).toFixed(1)} ms) ${JSON.stringify(args[0] ?? {})}`]);
      this.addEventListener('icecandidate', (e) => mark(`pc${n}: icecandidate ${e.candidate ? e.candidate.candidate.split(' ').slice(4, 8).join(' ') : '(end)'}`));
      this.addEventListener('icegatheringstatechange', () => mark(`pc${n}: gathering ${this.iceGatheringState}`));
      this.addEventListener('iceconnectionstatechange', () => mark(`pc${n}: ice ${this.iceConnectionState}`));
      this.addEventListener('connectionstatechange', () => mark(`pc${n}: connection ${this.connectionState}`));
    }
    createDataChannel(label, init) {
      const dc = super.createDataChannel(label, init);
      dc.addEventListener('open', () => mark(`pc${this.n}: channel ${label} open`));
      return dc;
    }
  };
  for (const name of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']) {
    const native = NativePC.prototype[name];
    window.RTCPeerConnection.prototype[name] = function (...args) {
      const n = this.n;
      const detail = args[0]?.type ? ` ${args[0].type}` : '';
      mark(`pc${n}: ${name}${detail} called`);
      return native.apply(this, args).then((r) => {
        mark(`pc${n}: ${name}${detail} done`);
        return r;
      });
    };
  }
  for (const name of ['instantiateStreaming', 'instantiate', 'compileStreaming']) {
    const native = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      mark(`wasm: ${name} called`);
      return native.apply(this, args).then((r) => {
        mark(`wasm: ${name} done`);
        return r;
      });
    };
  }
  const nativeDebug = console.debug;
  console.debug = (...args) => {
    if (typeof args[0] === 'string' && args[0].startsWith('[huddle]')) mark(`log: ${args[0].slice(9)}`);
    else nativeDebug.apply(console, args);
  };
}

async function joinAndWait([server, code, name, others, debug]) {
  window.tlMark('joinRoom called');
  const room = await window.huddle.joinRoom({ server, code, name, create: true, debug });
  window.tlMark('joinRoom resolved');
  window.room = room;
  const direct = () => {
    const peers = room.peers().filter((p) => !p.isSelf);
    return peers.length === others && peers.every((p) => p.transport === 'direct' && p.link === 'connected');
  };
  room.on('peers', (peers) => window.tlMark(`peers: ${peers.filter((p) => !p.isSelf).map((p) => `${p.id}=${p.link}/${p.transport}`).join(' ')}`));
  if (!direct()) {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: not direct within 15 s`)), 15000);
      const off = room.on('peers', () => {
        if (!direct()) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }
  window.tlMark('ALL DIRECT');
  // The Wasm's fetch, from Resource Timing (only on the page's first join).
  for (const r of performance.getEntriesByType('resource')) {
    if (!r.name.endsWith('.wasm')) continue;
    const at = (x) => performance.timeOrigin + x;
    window.tl.push([at(r.fetchStart), `wasm: fetch start`], [at(r.requestStart), `wasm: request sent`],
      [at(r.responseStart), `wasm: response starts`], [at(r.responseEnd), `wasm: response ends (${r.encodedBodySize} bytes)`]);
  }
  return room.selfId;
}

// Per page, the milestones of its join in ms from the first joinRoom call (the first time each
// happens on that page), so runs can be compared at a glance.
function phases(lines, t0) {
  const MILESTONES = [
    ['call', /^joinRoom called/], ['wasm fetch', /^wasm: fetch start/], ['wasm response', /^wasm: response starts/],
    ['wasm fetched', /^wasm: instantiate\w* called/], ['wasm ready', /^wasm: instantiate\w* done/],
    ['ws new', /^ws: new/], ['ws open', /^ws: open/], ['welcome', /^ws ⇐ welcome/], ['room_joined', /^ws ⇐ room_joined/],
    ['pc new', /^pc\d+: new/], ['offer out', /^ws ⇒ signal to \S+ offer/], ['offer in', /^ws ⇐ signal from \S+ offer/],
    ['answer out', /^ws ⇒ signal to \S+ answer/], ['answer in', /^ws ⇐ signal from \S+ answer/],
    ['1st cand out', /^ws ⇒ signal to \S+ ice_candidate/], ['channel open', /^pc\d+: channel huddle open/], ['all direct', /^ALL DIRECT/],
  ];
  const pages = [...new Set(lines.map((l) => l[1]))].sort();
  console.log(`${'milestone'.padEnd(14)}${pages.map((p) => p.slice(0, 2).padStart(8)).join('')}`);
  for (const [name, re] of MILESTONES) {
    const cells = pages.map((p) => {
      const hit = lines.find((l) => l[1] === p && re.test(l[2]));
      return (hit ? (hit[0] - t0).toFixed(0) : '-').padStart(8);
    });
    console.log(`${name.padEnd(14)}${cells.join('')}`);
  }
}

const cold = [];
const again = [];
const totals = { cold: [], again: [] };
// Two pages: the steps of the critical path, each in ms, for the medians printed at the end.
const steps = [];
function criticalPath(lines, t0, end) {
  const at = (who, re) => lines.find((l) => (!who || l[1] === who) && re.test(l[2]))?.[0];
  const offerer = lines.find((l) => /^ws ⇒ signal to \S+ offer/.test(l[2]))[1];
  const answerer = lines.find((l) => l[1] !== offerer)[1];
  const marks = [
    ['joinRoom called', t0],
    ['joiner: Wasm ready', at(offerer, /^wasm: instantiate\w* done/)],
    // (The WebSocket may be open before the Wasm is ready: 'ws open' is printed on its own.)
    ['joiner: hello sent', at(offerer, /^ws ⇒ hello/)],
    ['joiner: welcome', at(offerer, /^ws ⇐ welcome/)],
    ['joiner: room_joined', at(offerer, /^ws ⇐ room_joined/)],
    ['joiner: offer sent', at(offerer, /^ws ⇒ signal to \S+ offer/)],
    ['older: offer received', at(answerer, /^ws ⇐ signal from \S+ offer/)],
    ['older: answer sent', at(answerer, /^ws ⇒ signal to \S+ answer/)],
    ['joiner: answer received', at(offerer, /^ws ⇐ signal from \S+ answer/)],
    ['both direct', end],
  ];
  const out = {
    'joinRoom called → joiner: WebSocket open': at(offerer, /^ws: open/) - t0,
    // Also when the module was ready before the call (loaded at import, or again): then the
    // Wasm-ready rows below are NaN and this is the module's start-up plus the client's.
    'joinRoom called → joiner: hello sent': at(offerer, /^ws ⇒ hello/) - t0,
  };
  for (let i = 1; i < marks.length; i++) out[`${marks[i - 1][0]} → ${marks[i][0]}`] = (marks[i][1] ?? NaN) - (marks[i - 1][1] ?? NaN);
  out.total = end - t0;
  return out;
}

function printMedians(what, runs) {
  if (!runs.length) return;
  const median = (xs) => {
    const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
    return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
  };
  console.log(`\n== ${what}: medians of ${runs.length} runs, ms (a step can be negative when the older page was late)`);
  for (const k of Object.keys(runs[0])) console.log(`${median(runs.map((r) => r[k])).toFixed(1).padStart(7)}  ${k}   [${runs.map((r) => r[k].toFixed(0)).join(' ')}]`);
}

async function run(browser, site, origin, count, rep) {
  const pages = [];
  for (let i = 0; i < count; i++) {
    const page = await newPage(browser, `tl${i}`);
    await page.addInitScript(instrument);
    await page.goto(site.origin);
    await page.waitForFunction(() => window.huddle);
    if (values.preload) await page.evaluate(() => window.huddle.preload());
    pages.push(page);
  }
  const join = async (code) => {
    for (const p of pages) await p.evaluate(() => window.tl.splice(0));
    const ids = await Promise.all(pages.map((p, i) => p.evaluate(joinAndWait, [origin, code, `m${i}`, count - 1, values.debug])));
    const lines = [];
    for (const [i, p] of pages.entries()) for (const [t, what] of await p.evaluate(() => window.tl)) lines.push([t, `p${i} ${ids[i]}`, what]);
    lines.sort((a, b) => a[0] - b[0]);
    const t0 = lines.find((l) => l[2] === 'joinRoom called')[0];
    const end = Math.max(...lines.filter((l) => l[2] === 'ALL DIRECT').map((l) => l[0]));
    console.log(`\n== ${count} pages, run ${rep + 1}, ${code}: all direct after ${(end - t0).toFixed(0)} ms`);
    if (!values.quiet) for (const [t, who, what] of lines) console.log(`${(t - t0).toFixed(1).padStart(7)}  ${who.padEnd(14)} ${what}`);
    phases(lines, t0);
    (code.startsWith('tl_cold') ? totals.cold : totals.again).push(end - t0);
    if (count === 2) steps.push(criticalPath(lines, t0, end));
  };
  try {
    const tag = `${Date.now().toString(36)}_${rep}`;
    await join(`tl_cold_${tag}`);
    if (count === 2) cold.push(steps.pop());
    if (values.again) {
      for (const p of pages) await p.evaluate(() => window.room.leave());
      await join(`tl_again_${tag}`);
      if (count === 2) again.push(steps.pop());
    }
  } finally {
    for (const p of pages) await p.context().close();
  }
}

// --compare A,B: two builds of the web app (dist directories) side by side, a server each,
// alternating A B, B A, ... so a machine whose load drifts slows both alike.
const builds = values.compare ? values.compare.split(',') : [null];
const servers = [];
for (const dir of builds) {
  // Its pages are on another origin (another port); the Origin check is tested, not timed.
  const huddle = await startServer((dir ? ['--static-dir', dir] : []).concat(['--allowed-origins', '*']));
  const proxy = Number(values.rtt) > 0 ? await delayProxy(huddle.origin, Number(values.rtt) / 2) : null;
  const origin = proxy ? proxy.origin : huddle.origin;
  servers.push({ dir: dir ?? 'web/dist', huddle, proxy, origin, site: await startLibrarySite(origin), cold: [], again: [], totals: { cold: [], again: [] } });
}
const browser = await launchBrowser();
try {
  for (let rep = 0; rep < Number(values.runs); rep++) {
    const order = rep % 2 ? [...servers].reverse() : servers;
    for (const s of order) {
      if (builds.length > 1) console.log(`\n######## ${s.dir}`);
      await run(browser, s.site, s.origin, Number(values.pages), rep);
      s.cold.push(...cold.splice(0));
      s.again.push(...again.splice(0));
      s.totals.cold.push(...totals.cold.splice(0));
      s.totals.again.push(...totals.again.splice(0));
    }
  }
  for (const s of servers) {
    console.log(`\n######## ${s.dir}`);
    printMedians('fresh pages', s.cold);
    printMedians('again', s.again);
    for (const k of ['cold', 'again']) {
      const xs = [...s.totals[k]].sort((a, b) => a - b);
      if (xs.length) console.log(`${k}: all direct after ${xs[(xs.length - 1) >> 1].toFixed(0)} ms (median of ${xs.length}; runs ${s.totals[k].map((x) => x.toFixed(0)).join(' ')})`);
    }
  }
} finally {
  await browser.close();
  for (const s of servers) {
    await s.site.stop();
    s.proxy?.close();
    await s.huddle.stop();
  }
}
