// Starts a real huddle-server on 127.0.0.1 and a free port, for one test file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// HUDDLE_SERVER_BIN, else the optimized build (npm start, npm run build), else the sanitizer build
// (all that npm test makes), so benchmarks and scripts/screenshots.mjs run after either.
const built = ['native', 'asan'].map((tree) => path.join(repoRoot, `build/${tree}/cpp/server/huddle-server`));
export const serverBinary = process.env.HUDDLE_SERVER_BIN ?? built.find((bin) => fs.existsSync(bin)) ?? built[0];
// Overridable so a test run can use a snapshot of the build while the tree is being rebuilt.
const staticDir = process.env.HUDDLE_STATIC_DIR ?? path.join(repoRoot, 'web/dist');

/**
 * Runs huddle-server with `args` (on top of --host 127.0.0.1 --port 0 and the built app) and
 * resolves once it prints its listening line. `stop()` sends SIGTERM and waits for the exit.
 */
export async function startServer(args = []) {
  const child = spawn(serverBinary, ['--host', '127.0.0.1', '--port', '0',
    '--static-dir', staticDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const origin = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`huddle-server did not start:\n${stderr}`)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`huddle-server exited with ${code}:\n${stderr}`));
    });
  });
  return {
    origin,
    logs: () => stderr,
    async health() {
      const res = await fetch(`${origin}/healthz`);
      return res.json();
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    },
    /** SIGKILL: the server dies without closing anything (a crash, a pulled plug). */
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
