// Reads the JSON lines of bench/relay_compare.sh and prints medians side by side, each kind against
// the last one (the baseline): huddle-server against the bare ws relay; after --redis, huddle-server
// with Redis against without; after --cluster, two nodes and one node with Redis against one
// without. Medians because timings on a shared 2-core box wander.
//   node bench/relay_table.mjs build/bench/relay_compare.jsonl [KIND... BASELINE]
import { readFileSync } from 'node:fs';

const given = process.argv.slice(3);
const kinds = given.length >= 2 ? given : ['huddle', 'ws'];
const baseline = kinds[kinds.length - 1];
const subjects = kinds.slice(0, -1);
const names = { huddle: 'huddle', ws: 'ws relay', redis: 'with redis', two: 'two nodes' };
const runs = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const median = (xs) => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
// The median of the first of `keys` each run has (a run without Redis has no redis figures: its
// total is its server's CPU).
const pick = (label, protocol, keys) =>
  median(runs.filter((r) => r.label === label && r.protocol === protocol && !r.error)
    .map((r) => keys.map((k) => r[k]).find((v) => v !== undefined))
    .filter((v) => v !== undefined));

const total = ['total_cpu_per_100k_delivered', 'server_cpu_per_100k_delivered'];
// [what, case label, fields, digits]
const rows = [
  ['server CPU s / 100k relayed, 5k msg/s', 'directed_5k', ['server_cpu_per_100k_delivered'], 3],
  ['redis CPU s / 100k relayed, 5k msg/s', 'directed_5k', ['redis_cpu_per_100k_delivered'], 3],
  ['servers + redis CPU s / 100k, 5k msg/s', 'directed_5k', total, 3],
  ['server CPU s / 100k relayed, saturation', 'directed_sat', ['server_cpu_per_100k_delivered'], 3],
  ['redis CPU s / 100k relayed, saturation', 'directed_sat', ['redis_cpu_per_100k_delivered'], 3],
  ['servers + redis CPU s / 100k, saturation', 'directed_sat', total, 3],
  ['saturation rate, directed (msg/s)', 'directed_sat', ['delivered_per_s'], 0],
  ['broadcast deliveries/s, saturation', 'broadcast_sat', ['delivered_per_s'], 0],
  ['server CPU s / 100k broadcast deliveries', 'broadcast_sat', ['server_cpu_per_100k_delivered'], 3],
  ['servers + redis CPU s / 100k broadcast', 'broadcast_sat', total, 3],
  ['latency p50 at 5k msg/s (us)', 'directed_5k', ['lat_p50_us'], 1],
  ['latency p99 at 5k msg/s (us)', 'directed_5k', ['lat_p99_us'], 1],
  ['  p50 at 5k, 0 hops between nodes (us)', 'directed_5k', ['lat_hops0_p50_us'], 1],
  ['  p50 at 5k, 1 hop (us)', 'directed_5k', ['lat_hops1_p50_us'], 1],
  ['  p50 at 5k, 2 hops (us)', 'directed_5k', ['lat_hops2_p50_us'], 1],
  ['  p99 at 5k, 0 hops (us)', 'directed_5k', ['lat_hops0_p99_us'], 1],
  ['  p99 at 5k, 1 hop (us)', 'directed_5k', ['lat_hops1_p99_us'], 1],
  ['  p99 at 5k, 2 hops (us)', 'directed_5k', ['lat_hops2_p99_us'], 1],
  ['latency p50 at 20k msg/s (us)', 'directed_20k', ['lat_p50_us'], 1],
  ['latency p99 at 20k msg/s (us)', 'directed_20k', ['lat_p99_us'], 1],
  ['  p50 at 20k, 0 hops (us)', 'directed_20k', ['lat_hops0_p50_us'], 1],
  ['  p50 at 20k, 1 hop (us)', 'directed_20k', ['lat_hops1_p50_us'], 1],
  ['  p50 at 20k, 2 hops (us)', 'directed_20k', ['lat_hops2_p50_us'], 1],
  ['achieved rate at 20k target (msg/s)', 'directed_20k', ['delivered_per_s'], 0],
  ['server user-space share, saturation', 'directed_sat', ['server_user_share'], 2],
  ['idle: connect all (s)', 'idle', ['connect_s'], 2],
  ['idle: server RSS per connection (kB)', 'idle', ['rss_per_conn_kb'], 1],
  ['generator cores, directed saturation', 'directed_sat', ['gen_cores'], 2],
  ['generator cores, broadcast saturation', 'broadcast_sat', ['gen_cores'], 2],
];

const idle = runs.find((r) => r.label === 'idle');
const reps = runs.filter((r) => r.label === 'directed_sat' && r.protocol === subjects[0]).length;
console.log(`\nmedians of ${reps} alternated run(s) each; idle = ${idle ? idle.clients : '?'} connections`);
const fmt = (v, d) => (v === undefined ? 'n/a' : v.toFixed(d));
const line = (what, cells) => console.log(`${what.padEnd(42)} ${cells.map((c) => c.padStart(11)).join(' ')}`);
line('', [...kinds.map((k) => names[k] ?? k), ...subjects.map((k) => `${k}/${baseline}`)]);
for (const [what, label, keys, digits] of rows) {
  const values = kinds.map((k) => pick(label, k, keys));
  if (values.every((v) => v === undefined)) continue;  // figures these kinds do not have
  const base = values[values.length - 1];
  const ratios = values.slice(0, -1).map((v) => (v !== undefined && base ? (v / base).toFixed(2) : 'n/a'));
  line(what, [...values.map((v) => fmt(v, digits)), ...ratios]);
}

// Anything that went wrong, so a figure is never read without it.
for (const r of runs) {
  const errors = r.errors ? Object.entries(r.errors).map(([k, v]) => `${k} ${v}`).join(', ') : '';
  if (r.error || r.lost || r.refused || r.skipped || r.closed_by_server) {
    console.log(`note: ${r.label} ${r.protocol}: ${r.error ?? ''} lost ${r.lost ?? 0}, refused ${r.refused ?? 0}` +
      `${errors ? ` (${errors})` : ''}, skipped ${r.skipped ?? 0}, closed by server ${r.closed_by_server ?? 0}`);
  }
}
