// A TCP proxy that puts a server farther away, for the benchmarks that take --rtt MS.
import net from 'node:net';

/** A TCP proxy to `origin` that delays each direction by `oneWayMs`; resolves to its origin. */
export function delayProxy(origin, oneWayMs) {
  const target = new URL(origin);
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    // No Nagle: a small write behind another would wait for its ACK, a round trip of its own.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // Same delay for every chunk of one direction: timers of equal delay fire in order.
    const pipe = (from, to) => {
      from.on('data', (d) => setTimeout(() => to.destroyed || to.write(d), oneWayMs));
      from.on('end', () => setTimeout(() => to.end(), oneWayMs));
      from.on('error', () => to.destroy());
    };
    pipe(client, upstream);
    pipe(upstream, client);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => server.close(),
  })));
}
