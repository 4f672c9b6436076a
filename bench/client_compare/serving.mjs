// huddle-server for the benches that serve a dist directory of their own (bench/page_profile.mjs,
// bench/rtt_breakdown.mjs): HUDDLE_SERVER_BIN or the usual build, as for the tests.
import { spawn } from 'node:child_process';
import { serverBinary } from '../../tests/support/huddle_server.mjs';

/**
 * huddle-server on 127.0.0.1 (a free port) serving `dir` as its web app, every origin allowed to
 * open /ws (the benches' pages come from sites of their own): `{origin, stop}`.
 */
export function startServing(dir) {
  const child = spawn(serverBinary, ['--host', '127.0.0.1', '--port', '0', '--static-dir', dir, '--allowed-origins', '*'],
    { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) resolve({ origin: m[1], stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`huddle-server exited with ${code}`)));
  });
}
