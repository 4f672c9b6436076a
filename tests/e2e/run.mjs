// Runs every tests/e2e/*.test.mjs file one after another (they start servers and browsers) and
// ends with a "N passed, N failed" line for CI.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = fs.readdirSync(dir)
  .filter((f) => f.endsWith('.test.mjs') && (only.length === 0 || only.some((o) => f.includes(o))))
  .map((f) => path.join(dir, f));

let passed = 0;
let failed = 0;
const stream = run({ files, concurrency: 1, timeout: 180_000 });
stream.on('test:pass', (data) => { if (data.details?.type !== 'suite') passed++; });
stream.on('test:fail', (data) => { if (data.details?.type !== 'suite') failed++; });
const report = stream.compose(spec);
report.pipe(process.stdout, { end: false });
// After the spec reporter's own summary, so the count is the closing line CI reads.
report.on('end', () => {
  console.log(`\ne2e: ${passed} passed, ${failed} failed`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});
