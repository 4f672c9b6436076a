// Where a fresh page's module start-up goes (issue 12, "Joining"): fresh headless Chromium pages
// import huddle.js and create a room alone, under the CPU profiler (CDP, 50 µs samples). Prints,
// per page and as medians, the time spent inside the start-up's parts: instantiating the module,
// its constructors (Embind's registrations), the client's construction and the first calls. Needs
// a build whose Wasm has a name section (huddle_client_names) and an unminified huddle.js for
// the names to mean anything; the figures are inclusive CPU time on the page's main thread.
//   node bench/startup_profile.mjs --dist DIR [--runs 5] [--top N] [--under FUNCTION_NAME_PREFIX]
// Such a dist: `cmake --build build/wasm --target huddle_client_names`, its .js and .wasm in place
// of web/src/generated/huddle_client.*, then `vite build --config web/vite.embed.config.ts
// --outDir DIR --minify false`. The profiler's overhead inflates cold code; compare runs, not
// these figures with join_timeline's.
import { parseArgs } from 'node:util';
import { launchBrowser, newPage } from '../tests/e2e/helpers/browser.mjs';
import { startLibrarySite } from '../tests/e2e/helpers/files.mjs';
import { startServer } from '../tests/support/huddle_server.mjs';

const { values } = parseArgs({ options: { dist: { type: 'string' }, runs: { type: 'string', default: '5' }, top: { type: 'string', default: '0' }, under: { type: 'string' } } });

// [label, what a sample's stack must contain (a function name or a regex on it)]
const PARTS = [
  ['instantiate and start (the glue receives the instance)', /^receiveInstance$/],
  ['  of which constructors (__wasm_call_ctors)', /^__wasm_call_ctors$/],
  ['    of which Embind registrations (_embind_register_*)', /^__embind_register_/],
  ['joinRoom (its synchronous part: new WebSocket)', /^joinRoom$/],
  ['WasmRoom constructor (JS)', /^WasmRoom$/],
  ['  of which WasmClient constructor (Embind invoker)', /^emscripten::internal::Invoker<huddle::wasm::WasmClient\*/],
  ['the join request (WasmClient::joinRoom)', /^huddle::wasm::WasmClient::joinRoom/],
  ['  of which the spare link (hd_rtc_prepare)', /^hd_rtc_prepare$/],
  ['WebSocket open event (hello and join sent)', /WebSocketBridge::onOpenEvent/],
  ['WebSocket messages (welcome, room_joined)', /WebSocketBridge::onMessageEvent/],
  ['garbage collector', /^\(garbage collector\)$/],
];

async function profileOne(browser, site, origin, rep) {
  const page = await newPage(browser, `prof${rep}`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  try {
    await page.goto(site.origin);
    await page.waitForFunction(() => window.huddle);
    const ms = await page.evaluate(async ([server, code]) => {
      const t = performance.now();
      const room = await window.huddle.joinRoom({ server, code, name: 'a', create: true });
      const took = performance.now() - t;
      room.leave();
      return took;
    }, [origin, `prof_${Date.now().toString(36)}_${rep}`]);
    const { profile } = await cdp.send('Profiler.stop');
    return { ms, parts: attribute(profile) };
  } finally {
    await page.context().close();
  }
}

/** Inclusive ms per PART, and per function name (for --top). */
function attribute(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackNames = new Map();
  const namesOf = (id) => {
    if (stackNames.has(id)) return stackNames.get(id);
    const names = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) names.add(byId.get(cur).callFrame.functionName || '(anonymous)');
    stackNames.set(id, names);
    return names;
  };
  const parts = Object.fromEntries(PARTS.map(([label]) => [label, 0]));
  const byName = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = (timeDeltas[i + 1] ?? 0) / 1000;
    const names = namesOf(samples[i]);
    for (const [label, re] of PARTS) if ([...names].some((n) => re.test(n))) parts[label] += dt;
    if (values.under && ![...names].some((n) => n.startsWith(values.under))) continue;
    for (const n of names) byName.set(n, (byName.get(n) ?? 0) + dt);
  }
  parts._byName = byName;
  return parts;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Its pages are on another origin (another port); the Origin check is tested, not timed.
const huddle = await startServer((values.dist ? ['--static-dir', values.dist] : []).concat(['--allowed-origins', '*']));
const site = await startLibrarySite(huddle.origin);
const browser = await launchBrowser();
try {
  const runs = [];
  for (let rep = 0; rep < Number(values.runs); rep++) runs.push(await profileOne(browser, site, huddle.origin, rep));
  console.log(`== module start-up, inclusive main-thread CPU ms, median of ${runs.length} fresh pages [runs]`);
  console.log(`${median(runs.map((r) => r.ms)).toFixed(1).padStart(7)}  joinRoom call → resolved (wall clock)   [${runs.map((r) => r.ms.toFixed(0)).join(' ')}]`);
  for (const [label] of PARTS) console.log(`${median(runs.map((r) => r.parts[label])).toFixed(1).padStart(7)}  ${label}   [${runs.map((r) => r.parts[label].toFixed(1)).join(' ')}]`);
  if (Number(values.top) > 0) {
    const total = new Map();
    for (const r of runs) for (const [n, v] of r.parts._byName) total.set(n, (total.get(n) ?? 0) + v / runs.length);
    console.log(`\n== top ${values.top} functions by mean inclusive ms${values.under ? ` (stacks through ${values.under}*)` : ''}`);
    for (const [n, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${v.toFixed(1).padStart(7)}  ${n.slice(0, 110)}`);
  }
} finally {
  await browser.close();
  await site.stop();
  await huddle.stop();
}
