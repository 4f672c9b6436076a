// The errors a person can meet in the lobby are shown plainly, against a real server.
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage } from './helpers/browser.mjs';
import { startServer } from '../support/huddle_server.mjs';
import { createRoom, expect, openLobby, waitForMesh } from './helpers/app.mjs';

async function lobbyError(page) {
  const el = page.getByTestId('lobby-error');
  await el.waitFor();
  return (await el.innerText()).trim();
}

describe('lobby errors', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('an unknown code says the room was not found', async () => {
    const page = await newPage(browser, 'lost');
    await openLobby(page, server.origin, 'Lost');
    await page.getByTestId('code-input').fill('zzzzzz');
    await page.getByTestId('join-button').click();
    expect.ok(/room not found/i.test(await lobbyError(page)));
    expect.equal(await page.getByTestId('room-code').count(), 0, 'stays in the lobby');
  });

  test('a third member of a two-member room is told it is full', async () => {
    const [ann, ben, cat] = await Promise.all(['Ann', 'Ben', 'Cat'].map((n) => newPage(browser, n)));
    await openLobby(ann, server.origin, 'Ann');
    await ann.getByTestId('room-size-select').selectOption('2');
    const { code } = await createRoom(ann);
    await openLobby(ben, server.origin, 'Ben', `/r/${code}`);
    await ben.getByTestId('join-button').click();
    await waitForMesh(ben, 2);
    await openLobby(cat, server.origin, 'Cat', `/r/${code}`);
    await cat.getByTestId('join-button').click();
    expect.ok(/full/i.test(await lobbyError(cat)));
  });

  test('a name already used in the room is refused', async () => {
    const [ann, ann2] = await Promise.all(['Ann', 'Ann2'].map((n) => newPage(browser, n)));
    await openLobby(ann, server.origin, 'Ann');
    const { code } = await createRoom(ann);
    await openLobby(ann2, server.origin, 'ann', `/r/${code}`);
    await ann2.getByTestId('join-button').click();
    expect.ok(/already uses that name/i.test(await lobbyError(ann2)));
  });

  test('a server that is gone is reported as unreachable', async () => {
    const page = await newPage(browser, 'late');
    await openLobby(page, server.origin, 'Late');
    await server.stop();
    await page.getByTestId('create-button').click();
    const text = await lobbyError(page);
    expect.ok(/can.t reach/i.test(text), text);
  });
});
