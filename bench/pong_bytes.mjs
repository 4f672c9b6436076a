// Pong's traffic with 6 players (issue: "measure bytes per tick for pong with 6 players before and
// after"): 6 headless Chromium pages embed experiences/pong in <p2p-frame> on another origin, in a
// room over direct links and in a relay-only room, and play: every player's input changes every
// 300 ms, and the host starts the game again when someone has won. Over S seconds of play, each
// page counts the bytes it sends and receives:
//   data channels  RTCPeerConnection.getStats() 'data-channel' bytesSent/bytesReceived (message
//                  payloads), every connection the page made (RTCPeerConnection wrapped before
//                  huddle loads);
//   WebSocket      the messages of WebSocket.send and 'message' events (wrapped likewise): in a
//                  relay-only room everything; over direct links, signaling and pings;
//   wire           getStats 'transport' bytes: the data channels' DTLS packets, SCTP and DTLS
//                  headers included (none over the relay; WebSocket frame headers are not counted).
// On direct links it also sorts the host's game frames (gs, sent bare on the unordered channel)
// into full snapshots and deltas, and prints the median size of each: the state's size against
// what a tick changed.
// Prints bytes per second for the host (it sends every member every tick) and the median of the
// other five, and the same per host tick (bytes/s ÷ ticks/s the host ran), so builds compare even
// when a busy machine runs fewer than 60 ticks a second. A figure, not a test. After a build:
//   node bench/pong_bytes.mjs [--reps N] [--seconds S] [--only direct|relay]
// --reps alternates which path goes first; the figures are medians over the repetitions.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { newPage } from '../tests/e2e/helpers/browser.mjs';
import { expect } from '../tests/e2e/helpers/expect.mjs';
import { attr, startSite, startSiteAndServer, stopSiteAndServer } from '../tests/e2e/helpers/site.mjs';
import { repoRoot, serverBinary } from '../tests/support/huddle_server.mjs';

const { values } = parseArgs({
  options: { reps: { type: 'string', default: '1' }, seconds: { type: 'string', default: '10' }, only: { type: 'string' } },
});
const reps = Number(values.reps);
const seconds = Number(values.seconds);
const NAMES = ['Ann', 'Ben', 'Cat', 'Dee', 'Eve', 'Fay']; // Ann joins first, so she hosts
const INPUT_EVERY_MS = 300;
// A relay-only room is made by a join token that says so (docs/tokens.md); both paths use tokens,
// so the two rooms differ only in that.
const SECRET = 'pong-bench-secret-at-least-32-bytes-long';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const mint = (room, peer, name, relayOnly) => execFileSync(serverBinary, ['token', '--room', room, '--peer', peer,
  '--name', name, '--expires-in', '15m', '--auth-secret', SECRET, ...(relayOnly ? ['--relay-only'] : [])], { encoding: 'utf8' }).trim();

/** The site's one page, /embed?huddle=…&token=…: <p2p-frame> around Pong served by huddle-server. */
function embedPage(url) {
  if (url.pathname !== '/embed') return null;
  const q = (k) => attr(url.searchParams.get(k) ?? '');
  return `<!doctype html><meta charset="utf-8"><title>pong bench</title>
<style>iframe { display: block; width: 720px; height: 560px; border: 0; }</style>
<script type="module" src="${q('huddle')}/huddle.js"></script>
<p2p-frame token="${q('token')}"><iframe src="${q('huddle')}/experiences/pong/"></iframe></p2p-frame>`;
}

// Runs in every frame before its scripts (page.addInitScript): keeps every RTCPeerConnection the
// page makes, and counts WebSocket message bytes both ways.
function countBytes() {
  const connections = [];
  const ws = { sent: 0, received: 0 };
  const gs = { full: [], delta: [] }; // sizes of the game frames this page sent on data channels
  window.benchBytes = { connections, ws, gs };
  const nativeSend = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function send(data) {
    if (typeof data === 'string' && data.startsWith('{"t":"gs"')) (data.includes(',"d":') ? gs.delta : gs.full).push(data.length);
    return nativeSend.call(this, data);
  };
  const NativePC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePC {
    constructor(...args) {
      super(...args);
      connections.push(this);
    }
  };
  const utf8 = new TextEncoder();
  const size = (data) => (typeof data === 'string' ? utf8.encode(data).length : data.byteLength ?? data.size ?? 0);
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => { ws.received += size(e.data); });
    }

    send(data) {
      ws.sent += size(data);
      return super.send(data);
    }
  };
}

/** A page's counters now: WebSocket totals, and per connection (by index) its data-channel and transport bytes. */
const snapshot = (page) => page.evaluate(async () => {
  const { connections, ws, gs } = window.benchBytes;
  const links = await Promise.all(connections.map(async (pc) => {
    const link = { dcSent: 0, dcReceived: 0, wireSent: 0, wireReceived: 0, connected: pc.connectionState === 'connected' };
    try {
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'data-channel') { link.dcSent += s.bytesSent ?? 0; link.dcReceived += s.bytesReceived ?? 0; }
        if (s.type === 'transport') { link.wireSent += s.bytesSent ?? 0; link.wireReceived += s.bytesReceived ?? 0; }
      });
    } catch {
      return null; // closed: its bytes are counted where both snapshots have it
    }
    return link;
  }));
  return { at: performance.now(), wsSent: ws.sent, wsReceived: ws.received, links, gsFull: gs.full.length, gsDelta: gs.delta.length, gs };
});

/** What a page sent and received between two snapshots, in bytes per second. */
function rates(a, b) {
  const s = (b.at - a.at) / 1000;
  const sum = (key) => b.links.reduce((n, link, i) => (link && a.links[i] ? n + link[key] - a.links[i][key] : n), 0);
  const ws = { sent: (b.wsSent - a.wsSent) / s, received: (b.wsReceived - a.wsReceived) / s };
  const dc = { sent: sum('dcSent') / s, received: sum('dcReceived') / s };
  return {
    sent: ws.sent + dc.sent, received: ws.received + dc.received, ws, dc,
    wire: { sent: sum('wireSent') / s, received: sum('wireReceived') / s },
    links: b.links.filter((link) => link?.connected).length,
  };
}

/** The huddle_… counters of huddle-server's /metrics, by name. */
async function metrics(huddle) {
  const text = await (await fetch(`${huddle.origin}/metrics`)).text();
  return Object.fromEntries(text.split('\n').filter((l) => /^huddle_\w+ /.test(l)).map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)]));
}

/** Six players in a new room over `transport`, playing for `seconds`; resolves with what each page counted. */
async function play({ browser, site, huddle }, transport, round) {
  const room = `pong_bench_${transport}_${round}_${Date.now().toString(36)}`;
  // Peer ids new to the server (a page closed in an earlier room is away there for a while, its id
  // still held), 10 characters like the ids the server hands out (limits::kPeerIdLength): every
  // state names all six players, so their length is part of what is measured.
  const peerOf = (name) => `${name.toLowerCase()}${transport[0]}${String(round).padStart(6, '0')}`;
  const players = [];
  const open = async (name) => {
    const page = await newPage(browser, name);
    await page.addInitScript(countBytes);
    const url = new URL('/embed', site.origin);
    url.search = new URLSearchParams({ huddle: huddle.origin, token: mint(room, peerOf(name), name, transport === 'relay') }).toString();
    await page.goto(url.href);
    const frame = await (await page.waitForSelector('p2p-frame iframe', { state: 'attached' })).contentFrame();
    const player = { name, page, frame };
    players.push(player);
    return player;
  };
  const connected = (p) => p.frame.evaluate(() => (window.huddlePong && P2P.isConnected()
    ? P2P.getPeers().map((id) => P2P.getPeer(id)?.transport) : null)).catch(() => null);
  try {
    // The first in hosts; the others join together.
    const first = await open(NAMES[0]);
    await expect.eventually(() => connected(first), (t) => Array.isArray(t), { timeout: 20000, what: 'the host in its room' });
    await Promise.all(NAMES.slice(1).map(open));
    players.sort((a, b) => NAMES.indexOf(a.name) - NAMES.indexOf(b.name));
    for (const p of players) {
      await expect.eventually(() => connected(p), (t) => t?.length === NAMES.length - 1 && t.every((x) => x === transport),
        { timeout: 30000, what: `${p.name} to reach the 5 others over ${transport}` });
    }
    const [host, ...members] = players;
    const state = () => host.frame.evaluate(() => huddlePong.state());
    await expect.eventually(state, (s) => s.hostId === peerOf(NAMES[0]) && Object.keys(s.players).length === NAMES.length, { what: 'Ann hosting 6 players' });
    await host.frame.click('#start');
    await expect.eventually(state, (s) => s.running, { what: 'the game to start' });
    // Every player steers, each in its own rhythm; the host starts the next game when one is won.
    await Promise.all(players.map((p, i) => p.frame.evaluate(([offset, isHost, every]) => {
      const inputs = [1, -1, 0, -1, 1, 0];
      let n = offset;
      setInterval(() => {
        huddlePong.setInput(inputs[n++ % inputs.length]);
        if (isHost && huddlePong.state().phase === 'over') document.getElementById('start').click();
      }, every);
    }, [i, i === 0, INPUT_EVERY_MS])));
    await sleep(1000);

    const count = () => Promise.all([
      state(), Promise.all(members.map((m) => m.frame.evaluate(() => huddlePong.ticksReceived()))),
      Promise.all(players.map((p) => snapshot(p.page))), metrics(huddle),
    ]);
    const [s0, got0, before, m0] = await count();
    await sleep(seconds * 1000);
    const [s1, got1, after, m1] = await count();
    const [hostRates, ...memberRates] = after.map((b, i) => rates(before[i], b));
    const elapsed = (after[0].at - before[0].at) / 1000;
    const ticks = s1.tick - s0.tick;
    // The host's game frames of the measured window (the lists only grow).
    const gsOf = (kind, count) => after[0].gs[kind].slice(count);
    const serverCounted = (name) => (m1[name] ?? 0) - (m0[name] ?? 0);
    return {
      host: hostRates,
      members: memberRates,
      elapsed,
      ticks,
      ticksPerSecond: ticks / elapsed,
      // Share of the host's ticks a member took in, median over the five.
      delivered: median(got1.map((n, i) => (n - got0[i]) / ticks)),
      snapshots: gsOf('full', 0), // rare (a member with nothing acknowledged): all of them, from the start
      deltas: gsOf('delta', before[0].gsDelta),
      scores: Object.values(s1.players).map((p) => p.score).join(' '),
      relayedPerSecond: serverCounted('huddle_relayed_messages_total') / elapsed,
      relayLimited: serverCounted('huddle_relay_bytes_limited_total') + serverCounted('huddle_rate_limited_total'),
      problems: players.flatMap((p) => p.page.problems),
    };
  } finally {
    for (const p of players) await p.page.context().close();
  }
}

/** The figures of one role (host, or the median member) of one run. */
function figures(run, role) {
  const r = role === 'host' ? run.host : {
    sent: median(run.members.map((m) => m.sent)), received: median(run.members.map((m) => m.received)),
    ws: { sent: median(run.members.map((m) => m.ws.sent)), received: median(run.members.map((m) => m.ws.received)) },
    wire: { sent: median(run.members.map((m) => m.wire.sent)), received: median(run.members.map((m) => m.wire.received)) },
  };
  return {
    sent: r.sent, received: r.received, sentPerTick: r.sent / run.ticksPerSecond, receivedPerTick: r.received / run.ticksPerSecond,
    wsSent: r.ws.sent, wsReceived: r.ws.received, wireSent: r.wire.sent, wireReceived: r.wire.received,
  };
}

const started = await startSiteAndServer(() => startSite(embedPage),
  ['--experiences-dir', path.join(repoRoot, 'experiences'), '--auth-secret', SECRET, '--quiet']);
try {
  const transports = ['direct', 'relay'].filter((t) => !values.only || t === values.only);
  const runs = Object.fromEntries(transports.map((t) => [t, []]));
  for (let round = 0; round < reps; round++) {
    // Alternate which goes first, so neither always meets a machine the other warmed up.
    for (const transport of round % 2 === 0 ? transports : [...transports].reverse()) {
      const run = await play(started, transport, round);
      runs[transport].push(run);
      const links = [run.host, ...run.members].map((m) => m.links);
      console.log(`${transport} #${round + 1}: ${run.elapsed.toFixed(1)} s, host ran ${run.ticks} ticks (${run.ticksPerSecond.toFixed(1)}/s), ` +
        `members took in ${(run.delivered * 100).toFixed(0)}% (median), scores ${run.scores}, direct links per page ${links.join(' ')}` +
        (transport === 'relay' ? `, server relayed ${run.relayedPerSecond.toFixed(0)} messages/s` : ''));
      if (run.relayLimited > 0) console.log(`  warning: the server refused ${run.relayLimited} frames (rate limits): the figures are short of what Pong sent`);
      for (const problem of run.problems) console.log(`  page error: ${problem}`);
    }
  }
  const f = (x) => String(Math.round(x)).padStart(9);
  console.log(`\nPong, 6 players, ${seconds} s of play per run; medians of ${reps} run(s) per path. Bytes are message payloads:`);
  console.log('data channels (getStats) + WebSocket messages; "wire" is the data channels\' DTLS packets. Member: median of the 5 non-hosts.');
  console.log('path    who         sent B/s  recv B/s  sent B/tick recv B/tick   WebSocket s/r B/s     wire s/r B/s   ticks/s');
  for (const transport of transports) {
    for (const role of ['host', 'member']) {
      const all = runs[transport].map((run) => figures(run, role));
      const m = (key) => median(all.map((x) => x[key]));
      console.log(`${transport.padEnd(7)} ${role.padEnd(9)} ${f(m('sent'))} ${f(m('received'))}   ${f(m('sentPerTick'))}   ${f(m('receivedPerTick'))}` +
        `   ${f(m('wsSent'))} ${f(m('wsReceived'))}  ${f(m('wireSent'))} ${f(m('wireReceived'))}   ${median(runs[transport].map((r) => r.ticksPerSecond)).toFixed(1)}`);
    }
  }
  const direct = runs.direct ?? [];
  const snapshots = direct.flatMap((r) => r.snapshots);
  const deltas = direct.flatMap((r) => r.deltas);
  if (snapshots.length + deltas.length > 0) {
    const m = (xs) => (xs.length ? `${median(xs)} B (${xs.length} frames)` : 'none');
    console.log(`\nThe host's game frames over direct links, median size: full snapshot ${m(snapshots)}, delta ${m(deltas)}` +
      (snapshots.length && deltas.length ? `; a delta is ${(median(deltas) / median(snapshots)).toFixed(2)} of a snapshot` : ''));
  }
} finally {
  await stopSiteAndServer(started);
}
