// The four ways two headless Chromium pages talk in bench/client_compare: a raw RTCDataChannel,
// huddle's direct link, a raw WebSocket through the bare `ws` relay (bench/ws_relay.mjs), and
// huddle-server's relay (a relay-only room). Each connects page `a` to page `b` once and gives
// both pages the same two globals, so a section's in-page code is written once for all four:
//   window.post(data)   sends `data` (a string or JSON) to the other page;
//   window.onMsg(data)  is called with what the other page posted (set it to listen).
// Raw data channels carry strings: objects are sent as their JSON text and arrive as that text.
// Each page also keeps its transport object for path-specific code (flow control): window.dc,
// window.ws, or window.room with window.peer (the other member's id).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { newPage } from '../../tests/e2e/helpers/browser.mjs';
import { openRoom } from '../../tests/e2e/helpers/files.mjs';
import { repoRoot } from '../../tests/support/huddle_server.mjs';

/** bench/ws_relay.mjs on a free port: `{url, stop}`. */
export function startWsRelay() {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bench/ws_relay.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = String(d).match(/listening on (\d+)/);
      if (m) resolve({ url: `ws://127.0.0.1:${m[1]}`, stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`ws relay exited with ${code}`)));
  });
}

/** One RTCPeerConnection per page with one ordered, reliable data channel (connectRaw). */
export async function rawDirectPair(browser, site) {
  const [a, b] = [await newPage(browser, 'rawA'), await newPage(browser, 'rawB')];
  for (const p of [a, b]) await p.goto(site.origin);
  await connectRaw(a, b);
  for (const p of [a, b]) {
    await p.evaluate(() => {
      window.post = (d) => window.dc.send(typeof d === 'string' ? d : JSON.stringify(d));
      window.dc.onmessage = (e) => window.onMsg?.(e.data);
    });
  }
  return { kind: 'rawDirect', a, b };
}

// page -> the page its window.signal goes to (Playwright binds a function to a page only once).
const signaling = new WeakMap();

/**
 * Connects a raw RTCDataChannel from page `a` (which offers) to page `b` (called again: a new
 * one) and resolves with each side's time of creating its RTCPeerConnection and of its channel
 * opening (ms, the pages' shared wall clock: performance.timeOrigin + performance.now()). Leaves
 * window.pc and window.dc. The bench is the signaling channel, trickle: the offer, the answer and
 * every ICE candidate are handed over as soon as they exist (through Playwright bindings, a few ms
 * a hop). Waiting for all candidates instead (non-trickle) costs ~110 ms more in Chromium here.
 */
export async function connectRaw(a, b) {
  const setup = () => {
    window.now = () => performance.timeOrigin + performance.now();
    // Signals are applied one after another, in the order sent (a candidate needs its description).
    let queue = Promise.resolve();
    window.receive = (m) => {
      queue = queue.then(() => window.onSignal(m)).catch((err) => console.error(`signal ${JSON.stringify(m)}: ${err}`));
    };
    window.trickle = (pc) => {
      pc.onicecandidate = (e) => e.candidate && window.signal({ candidate: e.candidate.toJSON() });
      return pc;
    };
    // A candidate that overtakes its description waits for it.
    window.pc = null;
    let early = [];
    window.addCandidate = (c) => (window.pc?.remoteDescription ? window.pc.addIceCandidate(c) : early.push(c));
    window.setRemote = async (description) => {
      await window.pc.setRemoteDescription(description);
      for (const c of early) await window.pc.addIceCandidate(c);
      early = [];
    };
  };
  for (const [from, to] of [[a, b], [b, a]]) {
    if (!signaling.has(from)) await from.exposeFunction('signal', (m) => signaling.get(from).evaluate((m) => window.receive(m), m));
    signaling.set(from, to);
    await from.evaluate(setup);
  }
  await b.evaluate(() => {
    window.onSignal = async ({ description, candidate }) => {
      if (candidate) return window.addCandidate(candidate);
      const created = window.now();
      window.pc = window.trickle(new RTCPeerConnection());
      window.opened = new Promise((r) => {
        window.pc.ondatachannel = (e) => {
          window.dc = e.channel;
          if (window.dc.readyState === 'open') r({ created, open: window.now() });
          else window.dc.onopen = () => r({ created, open: window.now() });
        };
      });
      await window.setRemote(description);
      await window.pc.setLocalDescription(await window.pc.createAnswer());
      window.signal({ description: window.pc.localDescription.toJSON() });
    };
  });
  await a.evaluate(async () => {
    const created = window.now();
    window.pc = window.trickle(new RTCPeerConnection());
    window.dc = window.pc.createDataChannel('bench');
    window.opened = new Promise((r) => (window.dc.onopen = () => r({ created, open: window.now() })));
    window.onSignal = ({ description, candidate }) => (candidate ? window.addCandidate(candidate) : window.setRemote(description));
    await window.pc.setLocalDescription(await window.pc.createOffer());
    window.signal({ description: window.pc.localDescription.toJSON() });
  });
  return { a: await a.evaluate(() => window.opened), b: await b.evaluate(() => window.opened) };
}

/** Both pages in one room of the bare ws relay; posts are its broadcasts. */
export async function rawRelayPair(browser, site, relay) {
  const [a, b] = [await newPage(browser, 'wsA'), await newPage(browser, 'wsB')];
  const room = `bench-${Date.now().toString(36)}`;
  for (const p of [a, b]) {
    await p.goto(site.origin);
    await p.evaluate(([url, room]) => new Promise((resolve) => {
      const ws = new WebSocket(url);
      window.ws = ws;
      window.post = (d) => ws.send(JSON.stringify({ type: 'broadcast', data: d }));
      ws.onopen = () => ws.send(JSON.stringify({ type: 'join', room }));
      ws.onmessage = (e) => {
        const m = JSON.parse(e.data);
        if (m.type === 'joined') resolve();
        else if (m.type === 'broadcast') window.onMsg?.(m.data);
      };
    }), [relay.url, room]);
  }
  return { kind: 'rawRelay', a, b };
}

/** Both pages in one huddle room, over direct links or (relayOnly) through huddle-server. */
export async function huddlePair(browser, site, origin, relayOnly) {
  const transport = relayOnly ? 'relay' : 'direct';
  const pages = await openRoom(browser, site, origin, `bench_${transport}_${Date.now().toString(36)}`, ['a', 'b'], { relayOnly, transport });
  const ids = {};
  for (const [name, p] of Object.entries(pages)) ids[name] = await p.evaluate(() => window.room.selfId);
  for (const [name, p] of Object.entries(pages)) {
    await p.evaluate((peer) => {
      window.peer = peer;
      window.post = (d) => window.room.sendTo(peer, d);
      window.room.on('message', (m) => window.onMsg?.(m.data));
    }, ids[name === 'a' ? 'b' : 'a']);
  }
  return { kind: 'huddle', a: pages.a, b: pages.b };
}

/** Closes the pages of a pair (their browser contexts). */
export async function closePair(pair) {
  for (const p of [pair.a, pair.b]) await p.context().close();
}
