// Round trips of ~100-byte messages over each pair (pairs.mjs): page a posts one, page b posts it
// straight back, and a times it in the page. Repetitions alternate between the pairs, so a noisy
// machine slows them alike.
import { fmt, printTable, quantile } from './stats.mjs';

const PAD = 'x'.repeat(80); // with the counter and JSON around it, ~100 bytes a message

/** Round-trip times, ms, of `n` round trips on `pair`, one after another. */
function timeRounds(pair, n) {
  return pair.a.evaluate(async ([n, pad]) => {
    const times = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await new Promise((r) => {
        window.onMsg = r;
        window.post({ n: i, pad });
      });
      times.push(performance.now() - t);
    }
    return times;
  }, [n, PAD]);
}

/**
 * Runs `reps` alternating repetitions of `pings` round trips on every pair of `pairs` (name ->
 * pair), prints p50/p99 per path, and returns them: name -> {p50, p99} in ms.
 */
export async function runRtt(pairs, { pings, reps }) {
  for (const pair of Object.values(pairs)) await pair.b.evaluate(() => (window.onMsg = (d) => window.post(d))); // the echo
  const times = Object.fromEntries(Object.keys(pairs).map((k) => [k, []]));
  for (const pair of Object.values(pairs)) await timeRounds(pair, 20); // warm up
  for (let rep = 0; rep < reps; rep++) {
    for (const [name, pair] of Object.entries(pairs)) times[name].push(...(await timeRounds(pair, pings)));
  }
  const out = {};
  for (const [name, xs] of Object.entries(times)) out[name] = { p50: quantile(xs, 0.5), p99: quantile(xs, 0.99) };
  console.log(`\n== round trips of ~100-byte messages: ${reps} alternating repetitions of ${pings}, ms`);
  printTable(['path', 'p50', 'p99'], Object.entries(out).map(([name, r]) => [name, fmt(r.p50, 2), fmt(r.p99, 2)]));
  return out;
}
