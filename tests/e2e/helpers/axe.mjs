// axe-core (npm axe-core) run in a page or in one frame: what it finds that is serious or
// critical, each as a line a person can act on (rule, what it asks, where, and axe's own words).
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../support/huddle_server.mjs';

const AXE_SOURCE = fs.readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** The impacts that fail a check; minor and moderate findings are returned apart, not failed. */
export const FAILING = new Set(['serious', 'critical']);

/**
 * Runs axe in `target` (a Playwright Page or Frame, e.g. an experience's iframe) and returns
 * `{ failing, other }`: the serious/critical violations and the rest, each
 * `{ id, impact, help, nodes: [{ target, message }] }`. Frames inside `target` are not entered
 * (check each with its own call: an iframe without axe would hold the run up for a minute).
 * `exclude`: selectors left out (e.g. a part checked elsewhere).
 */
export async function axeCheck(target, { exclude = [] } = {}) {
  if (!(await target.evaluate(() => typeof window.axe === 'object'))) {
    // Evaluated by the debugger, not added as a <script>: the app page's Content-Security-Policy
    // (docs/security.md) refuses inline scripts, as it should.
    await target.evaluate(AXE_SOURCE);
  }
  const violations = await target.evaluate(async (excluded) => {
    const context = excluded.length ? { exclude: excluded.map((s) => [s]) } : document;
    const result = await window.axe.run(context, { iframes: false, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        // e.g. "Element has insufficient color contrast of 4.1 (foreground color: …)".
        message: [...n.any, ...n.all, ...n.none].map((c) => c.message).join('; '),
      })),
    }));
  }, exclude);
  return {
    failing: violations.filter((v) => FAILING.has(v.impact)),
    other: violations.filter((v) => !FAILING.has(v.impact)),
  };
}

/** One readable block per violation: "[serious] color-contrast: … \n    .receipt > summary: …". */
export function describeViolations(violations) {
  return violations.map((v) => [
    `[${v.impact}] ${v.id}: ${v.help}`,
    ...v.nodes.slice(0, 8).map((n) => `    ${n.target}${n.message ? `: ${n.message}` : ''}`),
    ...(v.nodes.length > 8 ? [`    … and ${v.nodes.length - 8} more`] : []),
  ].join('\n')).join('\n');
}

/** The serious and critical violations in `target`, as readable lines ('' when there are none). */
export async function axeFailures(target, options) {
  return describeViolations((await axeCheck(target, options)).failing);
}
