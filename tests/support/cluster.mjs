// Several huddle-servers sharing a real redis-server behind a plain balancer (scripts/balancer.mjs),
// on 127.0.0.1, for one test file: what scripts/cluster.sh runs, as a deployment would.
import { startBalancer } from '../../scripts/balancer.mjs';
import { startServer } from './huddle_server.mjs';
import { startRedis } from './redis_server.mjs';

/** Redis, `nodes` servers (node ids n1, n2, ...) and a balancer in front; `origin` is the balancer's. */
export async function startCluster({ nodes = 3, args = [] } = {}) {
  const redis = await startRedis();
  const servers = [];
  for (let i = 1; i <= nodes; i++) servers.push(await startServer(['--redis', redis.url, '--node-id', `n${i}`, ...args]));
  const balancer = await startBalancer({
    backends: servers.map((s) => ({ host: '127.0.0.1', port: Number(new URL(s.origin).port) })),
  });
  return {
    redis,
    servers,
    origin: `http://127.0.0.1:${balancer.port}`,
    async stop() {
      await balancer.stop();
      for (const s of servers) await s.stop();
      await redis.stop();
    },
  };
}
