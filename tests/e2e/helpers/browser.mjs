// Headless Debian Chromium through playwright-core (never Playwright's own browser download).
import { chromium } from 'playwright-core';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
}

/**
 * A page in its own browser context (own localStorage), with console errors collected
 * (`page.problems`) and the URL of every request it made (`page.requests`).
 * `options` go to the context: e.g. `{ viewport: { width: 390, height: 844 }, colorScheme: 'dark' }`.
 */
export async function newPage(browser, label, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  const logs = [];
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (err) => problems.push(`${label}: ${err.message}`));
  page.on('console', (msg) => {
    logs.push(msg.text());
    if (msg.type() === 'error') problems.push(`${label}: console: ${msg.text()}`);
    if (process.env.HUDDLE_E2E_VERBOSE) console.log(`[${label}] ${msg.text()}`);
  });
  page.problems = problems;
  page.logs = logs;
  page.requests = requests;
  return page;
}
