// What a send costs inside the Wasm client (issue 12: the module is built for size, and size flags
// trade speed): µs of CPU per WasmClient.send, for a 40 KiB message (about a file chunk: parsed,
// measured and queued by the core, all per byte) and for a small one (a game's state), in the
// built module (web/src/generated/) under Node, in a relay-only room on a real huddle-server.
// Unreliable sends, so no queue fills up. Prints the fastest and the median of the repetitions;
// compare two builds by the fastest, alternating runs. A figure, not a test. After a build:
//   node bench/wasm_cpu.mjs [--reps N] [module.js module.wasm]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { repoRoot, startServer } from '../tests/support/huddle_server.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { reps: { type: 'string', default: '15' } } });
const [js, wasm] = positionals.length === 2 ? positionals
  : ['huddle_client.js', 'huddle_client.wasm'].map((f) => path.join(repoRoot, 'web/src/generated', f));

globalThis.WebSocket = WebSocket; // Node 20 has none; Emscripten's WebSocket library needs one
const { default: createHuddleModule } = await import(pathToFileURL(path.resolve(js)).href);
// Emscripten 3.1.6 cannot fetch a relative URL under Node: the bytes are passed in.
const module = await createHuddleModule({ wasmBinary: readFileSync(wasm) });
const server = await startServer();
const url = `${server.origin.replace('http', 'ws')}/ws`;
const until = async (check) => { while (!check()) await new Promise((r) => setTimeout(r, 10)); };

try {
  let code = '';
  let joined = 0;
  const ann = new module.WasmClient(url, { onEvent: (e) => { if (e.type === 'room_joined') { code = e.code; joined++; } } }, {});
  ann.createRoom('Ann', 0, true, '');
  await until(() => code);
  const ben = new module.WasmClient(url, { onEvent: (e) => { if (e.type === 'room_joined') joined++; } }, {});
  ben.joinRoom(code, 'Ben', false, 0, false, '');
  await until(() => joined === 2 && ann.peers().length === 2);

  const cases = [
    ['40 KiB', 50, (i) => JSON.stringify({ chunk: 'A'.repeat(40 * 1024), i, ts: 1732990000000.5 })],
    ['small', 500, (i) => JSON.stringify({ x: i * 0.37, y: i / 3, t: 'move' })],
  ];
  console.log(`${path.relative(process.cwd(), wasm)}: µs per send, ${values.reps} repetitions`);
  for (const [label, n, make] of cases) {
    const texts = Array.from({ length: n }, (_, i) => make(i));
    const times = [];
    for (let rep = 0; rep < Number(values.reps); rep++) {
      const start = performance.now();
      for (const text of texts) {
        const sent = ann.send(text, false);
        if (!sent.ok) throw new Error(sent.message);
      }
      times.push(((performance.now() - start) * 1000) / n);
    }
    times.sort((a, b) => a - b);
    console.log(`${label.padEnd(7)} fastest ${times[0].toFixed(0).padStart(6)}  median ${times[times.length >> 1].toFixed(0).padStart(6)}`);
  }
  for (const client of [ann, ben]) {
    client.leave();
    client.delete();
  }
} finally {
  await server.stop();
}
