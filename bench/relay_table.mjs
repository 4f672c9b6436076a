// Reads the JSON lines of bench/relay_compare.sh and prints medians side by side: huddle-server,
// the bare ws relay, and their ratio (or, after --redis, huddle-server with Redis and without).
// Medians because timings on a shared 2-core box wander.
//   node bench/relay_table.mjs build/bench/relay_compare.jsonl [SUBJECT BASELINE]
import { readFileSync } from 'node:fs';

const [subject = 'huddle', baseline = 'ws'] = process.argv.slice(3);
const names = { huddle: 'huddle', ws: 'ws relay', redis: 'with redis' };
const runs = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const median = (xs) => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pick = (label, protocol, key) =>
  median(runs.filter((r) => r.label === label && r.protocol === protocol && !r.error && r[key] !== undefined).map((r) => r[key]));

// [what, case label, field, digits]
const rows = [
  ['server CPU s / 100k relayed, 5k msg/s', 'directed_5k', 'server_cpu_per_100k_delivered', 3],
  ['server CPU s / 100k relayed, saturation', 'directed_sat', 'server_cpu_per_100k_delivered', 3],
  ['saturation rate, directed (msg/s)', 'directed_sat', 'delivered_per_s', 0],
  ['broadcast deliveries/s, saturation', 'broadcast_sat', 'delivered_per_s', 0],
  ['server CPU s / 100k broadcast deliveries', 'broadcast_sat', 'server_cpu_per_100k_delivered', 3],
  ['latency p50 at 5k msg/s (us)', 'directed_5k', 'lat_p50_us', 1],
  ['latency p99 at 5k msg/s (us)', 'directed_5k', 'lat_p99_us', 1],
  ['latency p50 at 20k msg/s (us)', 'directed_20k', 'lat_p50_us', 1],
  ['latency p99 at 20k msg/s (us)', 'directed_20k', 'lat_p99_us', 1],
  ['achieved rate at 20k target (msg/s)', 'directed_20k', 'delivered_per_s', 0],
  ['server user-space share, saturation', 'directed_sat', 'server_user_share', 2],
  ['idle: connect all (s)', 'idle', 'connect_s', 2],
  ['idle: server RSS per connection (kB)', 'idle', 'rss_per_conn_kb', 1],
  ['generator cores, directed saturation', 'directed_sat', 'gen_cores', 2],
  ['generator cores, broadcast saturation', 'broadcast_sat', 'gen_cores', 2],
];

const idle = runs.find((r) => r.label === 'idle');
const reps = runs.filter((r) => r.label === 'directed_sat' && r.protocol === subject).length;
console.log(`\nmedians of ${reps} alternated run(s) each; idle = ${idle ? idle.clients : '?'} connections`);
const fmt = (v, d) => (v === undefined ? 'n/a' : v.toFixed(d));
const line = (a, b, c, d) => console.log(`${a.padEnd(42)} ${b.padStart(12)} ${c.padStart(12)} ${d.padStart(9)}`);
line('', names[subject] ?? subject, names[baseline] ?? baseline, `${subject}/${baseline}`);
for (const [what, label, key, digits] of rows) {
  const h = pick(label, subject, key);
  const w = pick(label, baseline, key);
  const ratio = h !== undefined && w ? (h / w).toFixed(2) : 'n/a';
  line(what, fmt(h, digits), fmt(w, digits), ratio);
}

// Anything that went wrong, so a figure is never read without it.
for (const r of runs) {
  const errors = r.errors ? Object.entries(r.errors).map(([k, v]) => `${k} ${v}`).join(', ') : '';
  if (r.error || r.lost || r.refused || r.skipped || r.closed_by_server) {
    console.log(`note: ${r.label} ${r.protocol}: ${r.error ?? ''} lost ${r.lost ?? 0}, refused ${r.refused ?? 0}` +
      `${errors ? ` (${errors})` : ''}, skipped ${r.skipped ?? 0}, closed by server ${r.closed_by_server ?? 0}`);
  }
}
