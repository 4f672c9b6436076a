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

export async function chatMessages(page) {
  return page.$$eval('[data-testid="chat-message"]', (els) => els.map((el) => ({
    from: el.dataset.from, mine: el.dataset.mine === 'true', text: el.querySelector('[data-testid="chat-text"]')?.textContent ?? el.textContent,
    delivered: Number(el.dataset.deliveredCount ?? 0),
  })));
}

export { expect };
