// File transfer throughput between headless Chromium pages through a real huddle-server: a file
// (5 MB by default) from one page to 1 and to 2 others, over direct links and in a relay-only
// room. Prints the median of a few runs as MB/s of file per recipient, from sendFile to `done`
// (reading and hashing the file included). A figure, not a test. After a full build:
//   node bench/file_transfer.mjs [--bytes N] [--runs N] [--only direct|relay]
import { parseArgs } from 'node:util';
import { launchBrowser } from '../tests/e2e/helpers/browser.mjs';
import { openRoom, sendRandomFile, startLibrarySite } from '../tests/e2e/helpers/files.mjs';
import { startServer } from '../tests/support/huddle_server.mjs';

const { values } = parseArgs({
  options: { bytes: { type: 'string', default: '5000000' }, runs: { type: 'string', default: '3' }, only: { type: 'string' } },
});
const bytes = Number(values.bytes);
const runs = Number(values.runs);

// Its pages are on another origin (another port); the Origin check is tested, not timed.
const huddle = await startServer(['--allowed-origins', '*']);
const site = await startLibrarySite(huddle.origin);
const browser = await launchBrowser();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  console.log(`${(bytes / 1e6).toFixed(1)} MB, median of ${runs} runs, MB/s of file per recipient`);
  console.log('transport  recipients  MB/s   (runs)');
  const transports = [{ transport: 'direct', relayOnly: false }, { transport: 'relay', relayOnly: true }];
  for (const { transport, relayOnly } of transports.filter((t) => !values.only || t.transport === values.only)) {
    for (const recipients of [1, 2]) {
      const names = ['s', ...Array.from({ length: recipients }, (_, i) => `r${i}`)];
      const pages = await openRoom(browser, site, huddle.origin, `bench_${transport}_${recipients}_${Date.now().toString(36)}`, names, { relayOnly, transport });
      const rates = [];
      for (let i = 0; i < runs; i++) {
        const sent = await sendRandomFile(pages.s, bytes);
        if (sent.delivered.length !== recipients) throw new Error(`delivered to ${sent.delivered.length} of ${recipients}`);
        rates.push(bytes / 1e6 / (sent.ms / 1000));
      }
      console.log(`${transport.padEnd(9)}  ${String(recipients).padStart(10)}  ${median(rates).toFixed(2).padStart(5)}   (${rates.map((r) => r.toFixed(2)).join(', ')})`);
      for (const page of Object.values(pages)) await page.context().close();
    }
  }
} finally {
  await browser.close();
  await site.stop();
  await huddle.stop();
}
