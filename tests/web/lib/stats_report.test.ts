// @vitest-environment node
// The stats frame through the facade (docs/protocol.md "Client stats"), with the real Wasm client
// and a real huddle-server: a member that joins tells the server how its paths settled, which
// /metrics counts; `reportStats: false` sends nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { createRoom, joinRoom, type Room } from '../../../web/src/lib';
import { startServer, until, useRealWasm, type RunningServer } from './wasm_env';

useRealWasm();
const servers: RunningServer[] = [];
const rooms: Room[] = [];

afterEach(async () => {
  for (const room of rooms.splice(0)) room.leave();
  for (const s of servers.splice(0)) await s.stop();
});

async function metric(server: RunningServer, series: string): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.slice(series.length + 1));
}

// Ann creates a relay-only room and Ben joins it; resolves once Ben has measured a round trip to
// Ann (what completes his report).
async function meet(server: RunningServer, reportStats?: boolean): Promise<void> {
  const ann = await createRoom({ server: server.origin, name: 'Ann', relayOnly: true });
  rooms.push(ann);
  const ben = await joinRoom({ server: server.origin, code: ann.code, name: 'Ben', ...(reportStats === undefined ? {} : { reportStats }) });
  rooms.push(ben);
  let measured = false;
  ben.on('linkRtt', () => { measured = true; });
  await until(() => measured, 'a round trip from Ben to Ann');
}

describe('stats reports', () => {
  it('a joiner reports its relayed path, with its settle time and round trip', async () => {
    const server = await startServer();
    servers.push(server);
    await meet(server);
    let reports = 0;
    for (let i = 0; i < 100 && reports === 0; i++) {
      reports = await metric(server, 'huddle_client_stats_reports_total');
      if (reports === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(reports).toBe(1);
    expect(await metric(server, 'huddle_client_paths_total{transport="relay"}')).toBe(1);
    expect(await metric(server, 'huddle_client_paths_total{transport="direct"}')).toBe(0);
    expect(await metric(server, 'huddle_client_path_settle_seconds_count{transport="relay"}')).toBe(1);
    expect(await metric(server, 'huddle_client_path_rtt_seconds_count{transport="relay"}')).toBe(1);
    expect(await metric(server, 'huddle_client_path_settle_seconds_bucket{transport="relay",le="5"}')).toBe(1);
  });

  it('reportStats: false sends none', async () => {
    const server = await startServer();
    servers.push(server);
    await meet(server, false);
    // The report would have gone with the round trip just measured: give it time to arrive.
    await new Promise((r) => setTimeout(r, 200));
    expect(await metric(server, 'huddle_client_stats_reports_total')).toBe(0);
    expect(await metric(server, 'huddle_client_paths_total{transport="relay"}')).toBe(0);
  });
});
