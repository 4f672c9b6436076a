// Starts a real redis-server (Debian's) on 127.0.0.1 and a free port, for one test file: the
// room directory's store (docs/cluster.md). Without persistence: after kill() and restart() it is
// empty, as a Redis that lost its data would be.
import { spawn } from 'node:child_process';
import net from 'node:net';

/** A port nothing listens on now (the OS picks it). */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function spawnRedis(port) {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${out}`));
    });
  });
  return child;
}

/** Runs redis-server on a free port; resolves once it accepts connections. */
export async function startRedis() {
  const port = await freePort();
  let child = await spawnRedis(port);
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    /** SIGKILL: Redis is gone, and its data with it. */
    async kill() {
      if (!running()) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    /** A new, empty redis-server on the same port. */
    async restart() {
      await this.kill();
      child = await spawnRedis(port);
    },
    stop() { return this.kill(); },
  };
}
