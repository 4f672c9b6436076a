// Figures measured during end-to-end runs, printed at the end (these are not pass/fail checks).
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../support/huddle_server.mjs';

const file = path.join(repoRoot, 'build/e2e-figures.json');

export function recordFigure(name, value) {
  let figures = {};
  try { figures = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { /* first figure */ }
  figures[name] = value;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(figures, null, 2));
  console.log(`figure: ${name}: ${value}`);
}
