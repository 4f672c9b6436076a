// Would MessagePack make huddle's peer frames smaller and faster than JSON? (Issue 14 part 4: "peer
// frames may use MessagePack if it measures smaller and faster than JSON".) For frames as huddle
// sends them (a chat message, its ack, Pong's state delta and input, a room state change, a file
// chunk), prints the bytes as JSON text and as MessagePack, and the time to write and read each
// frame in V8 (Chromium's engine): JSON.stringify / JSON.parse against @msgpack/msgpack's encode /
// decode, repetitions alternating, medians. A figure, not a test; the answer is in
// docs/decisions.md ("Peer frames stay JSON text"). MessagePack is not a dependency of huddle:
//   npm install --no-save @msgpack/msgpack && node bench/msgpack_compare.mjs [--reps N]
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '5' } } });
let msgpack;
try {
  msgpack = await import('@msgpack/msgpack');
} catch {
  console.error('needs @msgpack/msgpack: npm install --no-save @msgpack/msgpack');
  process.exit(2);
}

const chunk = Buffer.alloc(47 * 1024, 7).toString('base64'); // one file chunk's bytes, as file_wire.ts sends them
const frames = {
  'chat message': { t: 'msg', seq: 42, id: 42, ts: 1764672000123.4, data: { type: 'chat', text: 'See you at 8, bring the snacks!', name: 'Ann' } },
  'ack': { t: 'ack', seq: 42 },
  'pong state delta (gs)': { t: 'gs', n: 1234, b: 1231, d: { o: { b: { s: { x: 0.123, y: -0.456 } }, p: { o: { ann0000d01: { s: { pos: 0.512 } }, ben0000d01: { s: { pos: 0.25 } }, cat0000d01: { s: { pos: 0.75 } } } } } }, h: '0123456789abcdef', a: 1230 },
  'pong input (gi)': { t: 'gi', n: 1235, i: [{ d: 1, go: 0 }], l: [3], a: 1233 },
  'room state change (sc)': { t: 'sc', e: 3, eh: 'ann0000d01', s: 812, w: 'ben0000d01', n: 17, k: 'todo/1764672000123/ben', v: { text: 'Buy milk', done: false }, l: 940, h: '89abcdef01234567' },
  'file chunk (base64 in JSON)': { t: 'msg', seq: 7, id: 7, ts: 1764672000123.4, broadcast: false, data: { $huddle: 'file', op: 'chunk', id: 'Zx81kq0PLm2YbT7w', i: 3, d: chunk } },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** ns per call of `f`, over enough calls to take ~40 ms. */
function time(f) {
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    const ns = Number(process.hrtime.bigint() - t0);
    if (ns > 40e6) return ns / n;
    n *= 2;
  }
}

console.log(`JSON text against MessagePack (@msgpack/msgpack), V8 ${process.versions.v8}; times are medians of ${values.reps} alternating repetitions\n`);
console.log('frame                            JSON B  msgpack B  ratio   write JSON  msgpack   read JSON  msgpack  (ns)');
for (const [name, frame] of Object.entries(frames)) {
  const text = JSON.stringify(frame);
  const packed = msgpack.encode(frame);
  const jsonBytes = Buffer.byteLength(text);
  const runs = { writeJson: [], writePack: [], readJson: [], readPack: [] };
  for (let r = 0; r < Number(values.reps); r++) {
    runs.writeJson.push(time(() => JSON.stringify(frame)));
    runs.writePack.push(time(() => msgpack.encode(frame)));
    runs.readJson.push(time(() => JSON.parse(text)));
    runs.readPack.push(time(() => msgpack.decode(packed)));
  }
  const ns = (k) => String(Math.round(median(runs[k]))).padStart(9);
  console.log(`${name.padEnd(30)} ${String(jsonBytes).padStart(7)} ${String(packed.length).padStart(10)} ${(packed.length / jsonBytes).toFixed(2).padStart(6)}  ` +
    `${ns('writeJson')} ${ns('writePack')}   ${ns('readJson')} ${ns('readPack')}`);
}
