// A plain TCP load balancer for trying several huddle-servers on one machine (scripts/cluster.sh)
// and for the tests that run them (tests/support/cluster.mjs): no sticky sessions, no health
// checks. Each connection goes to the next backend in turn; WebSocket upgrades (GET /ws) take
// turns of their own, so the members of a room land on different nodes, which is what a
// deployment behind a balancer looks like and what docs/cluster.md is about. A backend that
// refuses the connection (a node that died) is passed over for the next one, as a balancer's
// connect retry would: a client only sees a failure when no backend takes it.
//   node scripts/balancer.mjs --port 8080 --to 127.0.0.1:8081,127.0.0.1:8082,127.0.0.1:8083
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** Listens on host:port and spreads connections over `backends` ([{host, port}]). */
export async function startBalancer({ host = '127.0.0.1', port = 0, backends }) {
  const turns = { ws: 0, http: 0 };
  const sockets = new Set();
  // Connects to the backend whose turn it is, or the next ones in turn if it refuses; null when
  // none takes it (or the client went meanwhile).
  const connectUpstream = async (kind, client) => {
    for (let tried = 0; tried < backends.length && !client.destroyed; tried++) {
      const backend = backends[turns[kind]++ % backends.length];
      const upstream = net.connect(backend.port, backend.host);
      const connected = await new Promise((resolve) => {
        upstream.once('connect', () => resolve(true));
        upstream.once('error', () => resolve(false));
      });
      if (connected) return upstream;
      upstream.destroy();
    }
    return null;
  };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    // The request line decides which turn: read the first bytes, hold the rest until a backend
    // takes the connection, then pass everything through.
    client.once('data', async (first) => {
      client.pause();
      const kind = first.toString('latin1', 0, 16).startsWith('GET /ws') ? 'ws' : 'http';
      const upstream = await connectUpstream(kind, client);
      if (!upstream) return client.destroy();
      if (client.destroyed) return upstream.destroy();
      sockets.add(upstream);
      upstream.once('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.write(first);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  return {
    port: server.address().port,
    /** Stops listening and cuts every connection through it. */
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const backends = arg('to', '').split(',').filter(Boolean).map((hp) => {
    const [h, p] = hp.split(':');
    return { host: h, port: Number(p) };
  });
  if (backends.length === 0) {
    console.error('usage: node scripts/balancer.mjs --port 8080 --to HOST:PORT[,HOST:PORT...]');
    process.exit(2);
  }
  const balancer = await startBalancer({ port: Number(arg('port', '8080')), backends });
  console.log(`balancer listening on http://127.0.0.1:${balancer.port}, spreading over ${backends.length} nodes`);
}
