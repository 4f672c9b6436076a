// The complete examples in docs/ run as written: each ```html block after an "## Example" heading
// is served (its huddle.js import pointed at this test's huddle-server, its room made unique) and
// used by two real Chromium pages the way a person would: typing, clicking, holding arrow keys.
// An example that no longer works with the library fails here, not in a reader's hands.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { newPage } from './helpers/browser.mjs';
import { expect } from './helpers/expect.mjs';
import { startSite, startSiteAndServer, stopSiteAndServer } from './helpers/site.mjs';
import { repoRoot } from '../support/huddle_server.mjs';

/** The ```html block of `doc`'s "## Example" section, as a page of this test's server and room. */
function examplePage(doc, huddleOrigin, room) {
  const text = readFileSync(path.join(repoRoot, 'docs', doc), 'utf8');
  const example = text.slice(text.indexOf('\n## Example'));
  const html = example.match(/```html\n([\s\S]*?)```/)?.[1];
  if (!html) throw new Error(`docs/${doc} has no html example`);
  const page = html.replaceAll('https://huddle.example.org', huddleOrigin).replace(/code: '[^']*'/, `code: '${room}'`);
  if (page === html) throw new Error(`docs/${doc}'s example imports huddle.js from elsewhere`);
  return page;
}

describe('the examples in docs/', () => {
  let huddle;
  let site;
  let browser;
  const stamp = Date.now().toString(36);
  const pages = [];

  before(async () => {
    ({ site, huddle, browser } = await startSiteAndServer((huddleOrigin) => startSite((url) => {
      if (url.pathname === '/todo') return examplePage('state.md', huddleOrigin(), `todo-${stamp}`);
      if (url.pathname === '/chase') return examplePage('game.md', huddleOrigin(), `chase-${stamp}`);
      return null;
    }), ['--member-grace-ms', '1500'])); // a page that closes is gone after 1.5 s, not 30
  });

  after(async () => {
    expect.deepEqual(pages.flatMap((p) => p.problems), [], 'no page logged an error');
    await stopSiteAndServer({ site, huddle, browser });
  });

  async function open(pathname, label) {
    const page = await newPage(browser, label);
    pages.push(page);
    page.on('dialog', (dialog) => dialog.accept(label)); // "Your name?": names are unique in a room
    await page.goto(site.origin + pathname);
    return page;
  }

  test('state.md: a to-do list two people share', async () => {
    const ann = await open('/todo', 'todo:ann');
    const ben = await open('/todo', 'todo:ben');
    const items = (page) => page.$$eval('#list li', (lis) => lis.map((li) => ({ text: li.textContent.trim(), done: li.querySelector('input').checked })));
    await ann.fill('#text', 'Buy milk');
    await ann.press('#text', 'Enter');
    for (const page of [ann, ben]) {
      await expect.eventually(() => items(page), (l) => l.length === 1 && l[0].text.startsWith('Buy milk') && !l[0].done, { timeout: 10000, what: 'the item on both lists' });
    }
    await ben.check('#list li input');
    await expect.eventually(() => items(ann), (l) => l[0]?.done === true, { what: "Ben's tick on Ann's list" });
    await ann.click('#list li button');
    for (const page of [ann, ben]) await expect.eventually(() => items(page), (l) => l.length === 0, { what: 'the item gone from both lists' });
  });

  test('game.md: a coin chase for two; the non-host steers, scores, and goes on hosting when the host leaves', async () => {
    const host = await open('/chase', 'chase:host');
    await expect.eventually(() => host.textContent('#score'), (t) => /^You: 0$/.test(t), { timeout: 10000, what: 'the host alone in the game' });
    const guest = await open('/chase', 'chase:guest');
    for (const [page, text] of [[host, 'You: 0 · Them: 0'], [guest, 'Them: 0 · You: 0']]) {
      await expect.eventually(() => page.textContent('#score'), (t) => t === text || t.split(' · ').sort().join() === text.split(' · ').sort().join(),
        { timeout: 10000, what: `both players on ${page === host ? "the host's" : "the guest's"} page` });
    }
    // The guest starts at the right and holds ← along the middle row, through the coin.
    await guest.click('canvas');
    await guest.keyboard.down('ArrowLeft');
    const scores = (page) => page.textContent('#score');
    await expect.eventually(() => scores(guest), (t) => /You: [1-9]/.test(t), { timeout: 5000, what: 'the guest to reach the coin' });
    await guest.keyboard.up('ArrowLeft');
    await expect.eventually(() => scores(host), (t) => /Them: [1-9]/.test(t), { what: "the guest's point on the host's page" });
    const points = Number(/You: (\d+)/.exec(await scores(guest))[1]);
    // The host leaves: the guest takes over with the score as it stood.
    await host.close();
    await expect.eventually(() => scores(guest), (t) => t === `You: ${points}`, { timeout: 15000, what: 'the guest alone, its score kept' });
  });
});
