// Bulk reliable throughput: `messages` messages of 1 KiB from page a to page b of each pair
// (pairs.mjs), each sender keeping its own transport from being overrun, timed in page a from the
// first send until b says it has every message (b posts 'done' on the last one). Repetitions
// alternate between the pairs; the median of them is printed.
//
// Flow control, per path:
// - raw RTCDataChannel: send while bufferedAmount is under HIGH_WATER, then wait for
//   `bufferedamountlow` (bufferedAmountLowThreshold = HIGH_WATER / 2);
// - raw WebSocket: the same on its bufferedAmount, polled (WebSocket has no such event);
// - huddle: see installSendGate. Today at most `window` messages unacknowledged per member
//   (the room's `delivered` event); room.ready(peerId), or room.bufferedAmount(peerId) with a
//   `drain` event, is used instead once the room has it.
import { fmt, median, printTable } from './stats.mjs';

const MESSAGE_BYTES = 1024;
const HIGH_WATER = 256 * 1024;

/**
 * In page a of a huddle pair: window.openSendGate(room, to, window), the huddle sender's flow
 * control: `await gate.ready()` before each send, `gate.sent(id)` after it, `gate.close()` at
 * the end; `gate.how` says which mechanism it uses. The first one the room offers wins.
 */
function installSendGate(page) {
  return page.evaluate((highWater) => {
    window.openSendGate = (room, to, win) => {
      if (typeof room.ready === 'function') {
        return { how: 'await room.ready(peerId)', ready: () => room.ready(to), sent() {}, close() {} };
      }
      if (typeof room.bufferedAmount === 'function') {
        let wake = null;
        const off = room.on('drain', () => {
          if (wake && room.bufferedAmount(to) < highWater) {
            const w = wake;
            wake = null;
            w();
          }
        });
        return {
          how: `room.bufferedAmount(peerId) < ${highWater / 1024} KiB, else the drain event`,
          ready: () => (room.bufferedAmount(to) < highWater ? undefined : new Promise((r) => (wake = r))),
          sent() {},
          close: off,
        };
      }
      // Today's room: count what `to` has not acknowledged yet (room.on('delivered')).
      const inFlight = new Set();
      let wake = null;
      const off = room.on('delivered', (peerId, id) => {
        if (peerId === to && inFlight.delete(id) && wake && inFlight.size < win) {
          const w = wake;
          wake = null;
          w();
        }
      });
      return {
        how: `at most ${win} unacknowledged (the delivered event)`,
        ready: () => (inFlight.size < win ? undefined : new Promise((r) => (wake = r))),
        sent: (id) => inFlight.add(id),
        close: off,
      };
    };
  }, HIGH_WATER);
}

// In-page senders, one per pair kind: (n, payload, highWater, win) -> {ms, how}. Each sets
// window.onMsg to notice b's 'done'; the clock starts just before the first send.

function rawDirectSender([n, payload, highWater]) {
  const dc = window.dc;
  const done = new Promise((r) => (window.onMsg = (d) => d === 'done' && r()));
  dc.bufferedAmountLowThreshold = highWater / 2;
  const t0 = performance.now();
  let sent = 0;
  const pump = () => {
    while (sent < n && dc.bufferedAmount < highWater) {
      dc.send(payload);
      sent++;
    }
    if (sent < n) dc.addEventListener('bufferedamountlow', pump, { once: true });
  };
  pump();
  return done.then(() => ({ ms: performance.now() - t0, how: `bufferedAmount < ${highWater / 1024} KiB, bufferedamountlow` }));
}

async function rawRelaySender([n, payload, highWater]) {
  const ws = window.ws;
  const done = new Promise((r) => (window.onMsg = (d) => d === 'done' && r()));
  const t0 = performance.now();
  for (let sent = 0; sent < n; sent++) {
    while (ws.bufferedAmount >= highWater) await new Promise((r) => setTimeout(r, 1));
    window.post(payload);
  }
  await done;
  return { ms: performance.now() - t0, how: `bufferedAmount < ${highWater / 1024} KiB, polled` };
}

async function huddleSender([n, payload, , win]) {
  const room = window.room;
  const to = window.peer;
  const done = new Promise((r) => (window.onMsg = (d) => d === 'done' && r()));
  const gate = window.openSendGate(room, to, win);
  // A full queue (1,024 unacknowledged) is not an error here: wait for the next receipt.
  const nextDelivery = () => new Promise((r) => {
    const off = room.on('delivered', () => {
      off();
      r();
    });
  });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const wait = gate.ready();
    if (wait) await wait;
    for (;;) {
      try {
        gate.sent(room.sendTo(to, payload));
        break;
      } catch (err) {
        if (err.code !== 'send_queue_full') throw err;
        await nextDelivery();
      }
    }
  }
  await done;
  gate.close();
  return { ms: performance.now() - t0, how: gate.how };
}

const SENDERS = { rawDirect: rawDirectSender, rawRelay: rawRelaySender, huddle: huddleSender };

/** One timed run on `pair`: b counts to `n` and posts 'done'. */
async function bulkOnce(pair, n, win) {
  await pair.b.evaluate((n) => {
    let got = 0;
    window.onMsg = () => {
      if (++got === n) window.post('done');
    };
  }, n);
  return pair.a.evaluate(SENDERS[pair.kind], [n, 'x'.repeat(MESSAGE_BYTES), HIGH_WATER, win]);
}

/**
 * `reps` alternating repetitions of `messages` 1 KiB messages over every pair of `pairs` (name ->
 * pair) with at most `window` unacknowledged for huddle; prints and returns name -> {msgsPerS,
 * mbPerS, runs, how} (medians over the repetitions).
 */
export async function runBulk(pairs, { messages, reps, window: win }) {
  for (const pair of Object.values(pairs)) if (pair.kind === 'huddle') await installSendGate(pair.a);
  for (const pair of Object.values(pairs)) await bulkOnce(pair, Math.min(300, messages), win); // warm up
  const runs = Object.fromEntries(Object.keys(pairs).map((k) => [k, []]));
  const how = {};
  for (let rep = 0; rep < reps; rep++) {
    for (const [name, pair] of Object.entries(pairs)) {
      const r = await bulkOnce(pair, messages, win);
      runs[name].push(messages / (r.ms / 1000));
      how[name] = r.how;
    }
  }
  const out = {};
  console.log(`\n== bulk: ${messages} reliable ${MESSAGE_BYTES}-byte messages a → b, median of ${reps} alternating repetitions`);
  const rows = [];
  for (const [name, rates] of Object.entries(runs)) {
    const msgsPerS = median(rates);
    out[name] = { msgsPerS, mbPerS: (msgsPerS * MESSAGE_BYTES) / 1e6, runs: rates, how: how[name] };
    rows.push([name, fmt(msgsPerS, 0), fmt(out[name].mbPerS, 2), rates.map((x) => fmt(x, 0)).join(' '), how[name]]);
  }
  printTable(['path', 'msg/s', 'MB/s', 'runs (msg/s)', 'sender flow control'], rows, { left: [0, 4] });
  return out;
}
