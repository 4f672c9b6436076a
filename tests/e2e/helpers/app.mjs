// Drives the huddle app through its data-testid hooks, the way a person would.
import { expect } from './expect.mjs';

export async function openLobby(page, origin, name, path = '/') {
  await page.goto(`${origin}${path}`);
  await page.getByTestId('name-input').fill(name);
}

export async function createRoom(page) {
  await page.getByTestId('create-button').click();
  await page.getByTestId('room-code').waitFor();
  const code = (await page.getByTestId('room-code').innerText()).trim();
  const share = page.getByTestId('share-link');
  const link = (await share.evaluate((el) => el.value || el.href || el.textContent)).trim();
  return { code, link };
}

/** Opens a room's share link and joins it as `name`. */
export async function joinByLink(page, link, name) {
  await page.goto(link);
  await page.getByTestId('name-input').fill(name);
  await page.getByTestId('join-button').click();
}

/** Resolves when this page lists `count` members and every link to the others is connected. */
export async function waitForMesh(page, count, timeout = 20000) {
  await page.waitForFunction((n) => {
    const items = [...document.querySelectorAll('[data-testid="peer-item"]')];
    return items.length === n && items.every((el) => el.dataset.self === 'true' || el.dataset.link === 'connected');
  }, count, { timeout });
}

export async function peerItems(page) {
  return page.$$eval('[data-testid="peer-item"]', (els) => els.map((el) => ({
    id: el.dataset.peerId, self: el.dataset.self === 'true', host: el.dataset.host === 'true',
    link: el.dataset.link, transport: el.dataset.transport, away: el.dataset.away === 'true', text: el.textContent,
  })));
}

export async function sendChat(page, text) {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
}

/**
 * Sends `text` through the chat box and waits until the page lists it as its own. Typing and
 * clicking in one go can lose the text to a re-render before the click (then the page never sent
 * it, and says so by not listing it): type it again. Once listed, it is the transport's job.
 */
export async function sendShown(page, text) {
  for (let attempt = 1; ; attempt++) {
    await sendChat(page, text);
    try {
      await page.waitForFunction((t) => [...document.querySelectorAll('[data-testid="chat-message"][data-mine="true"]')]
        .some((el) => el.querySelector('[data-testid="chat-text"]')?.textContent === t), text, { timeout: 2000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/** This page's own peer id, from its member list. */
export async function selfId(page) {
  return (await peerItems(page)).find((p) => p.self).id;
}

export async function chatMessages(page) {
  return page.$$eval('[data-testid="chat-message"]', (els) => els.map((el) => ({
    from: el.dataset.from, mine: el.dataset.mine === 'true', text: el.querySelector('[data-testid="chat-text"]')?.textContent ?? el.textContent,
    delivered: Number(el.dataset.deliveredCount ?? 0),
  })));
}

export { expect };
