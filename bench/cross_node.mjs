// What a relayed frame pays when its two members are on different huddle-servers (docs/cluster.md):
// two nodes share a redis-server; member A is on node 1, where the room is, and member B either on
// node 1 too (same node) or on node 2 (its frames go to node 1 and back through Redis streams).
// B sends a relay frame to A, A answers, B times the round trip; same-node and cross-node
// repetitions alternate, so the machine's noise falls on both. Prints p50/p99 and their ratio.
//   node bench/cross_node.mjs [--pings N] [--reps N]     (after a build; uses build/native if there)
import WebSocket from 'ws';
import { startServer } from '../tests/support/huddle_server.mjs';
import { startRedis } from '../tests/support/redis_server.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PINGS = arg('pings', 1000);
const REPS = arg('reps', 3);

function client(origin) {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws`);
  const queue = [];
  let waiter = null;
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (waiter && waiter.want(frame)) {
      const w = waiter;
      waiter = null;
      w.resolve(frame);
    } else {
      queue.push(frame);
    }
  });
  const next = (want) => {
    const i = queue.findIndex(want);
    if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0]);
    return new Promise((resolve) => { waiter = { want, resolve }; });
  };
  return {
    open: new Promise((resolve) => ws.once('open', resolve)),
    send: (frame) => ws.send(JSON.stringify(frame)),
    next: (t) => next((f) => f.t === t),
    close: () => ws.close(),
  };
}

async function member(origin) {
  const c = client(origin);
  await c.open;
  c.send({ t: 'hello', v: 1 });
  c.id = (await c.next('welcome')).id;
  return c;
}

// B pings A through the server PINGS times; the round trips in ms.
async function roundTrips(roomOrigin, otherOrigin) {
  const a = await member(roomOrigin);
  a.send({ t: 'create', name: 'A' });
  const code = (await a.next('room_joined')).code;
  const b = await member(otherOrigin);
  b.send({ t: 'join', code, name: 'B' });
  await b.next('room_joined');
  await a.next('peer_joined');
  // A answers every relay with one back.
  let answering = true;
  (async () => {
    let seq = 1;
    while (answering) {
      const f = await a.next('relay');
      a.send({ t: 'relay', to: f.from, seq: seq++, data: f.data });
    }
  })();
  const times = [];
  for (let i = 1; i <= PINGS; i++) {
    const start = performance.now();
    b.send({ t: 'relay', to: a.id, seq: i, data: { i, pad: 'x'.repeat(80) } });
    await b.next('relay');
    times.push(performance.now() - start);
  }
  answering = false;
  a.close();
  b.close();
  return times;
}

const pct = (xs, p) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const median = (xs) => pct(xs, 0.5);

const redis = await startRedis();
const nodes = [await startServer(['--redis', redis.url, '--node-id', 'n1', '--quiet', '--max-frames-per-second', '100000']),
  await startServer(['--redis', redis.url, '--node-id', 'n2', '--quiet', '--max-frames-per-second', '100000'])];
const results = { same: { p50: [], p99: [] }, cross: { p50: [], p99: [] } };
try {
  for (let rep = 1; rep <= REPS; rep++) {
    for (const kind of ['same', 'cross']) {
      const times = await roundTrips(nodes[0].origin, kind === 'same' ? nodes[0].origin : nodes[1].origin);
      results[kind].p50.push(pct(times, 0.5));
      results[kind].p99.push(pct(times, 0.99));
      console.log(`rep ${rep} ${kind.padEnd(5)} p50 ${pct(times, 0.5).toFixed(2)} ms  p99 ${pct(times, 0.99).toFixed(2)} ms`);
    }
  }
  const s = results.same;
  const c = results.cross;
  console.log(`\nmedians of ${REPS} repetitions, ${PINGS} relayed round trips each (B -> A -> B):`);
  console.log(`same node:  p50 ${median(s.p50).toFixed(2)} ms, p99 ${median(s.p99).toFixed(2)} ms`);
  console.log(`cross node: p50 ${median(c.p50).toFixed(2)} ms, p99 ${median(c.p99).toFixed(2)} ms`);
  console.log(`cross / same: p50 ${(median(c.p50) / median(s.p50)).toFixed(2)}x, p99 ${(median(c.p99) / median(s.p99)).toFixed(2)}x;` +
    ` a cross-node round trip pays ${(median(c.p50) - median(s.p50)).toFixed(2)} ms more at p50`);
} finally {
  for (const n of nodes) await n.stop();
  await redis.stop();
}
