// Reload resume: the tab keeps {code, name, peerId, token} in sessionStorage while in a room, and
// a page that starts with one rejoins at once with the same peer id and resume token.
import { describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor } from '@testing-library/preact';
import { FakeRoom } from './fake_room';
import { enterRoom, renderApp } from './render_app';

const KEY = 'huddle.session';
const stored = () => {
  const raw = sessionStorage.getItem(KEY);
  return raw === null ? null : JSON.parse(raw);
};
const record = { code: 'ABC234', name: 'Ann', peerId: 'p-42', token: 'TOKEN-before-reload' };

describe('keeping the resume record', () => {
  it('stores code, name, peer id and token when a room is entered', async () => {
    const room = new FakeRoom({ selfId: 'p-7', others: ['Bob'] });
    room.token = 'TOKEN-at-join';
    await enterRoom('Me', room);
    expect(stored()).toEqual({ code: 'ABC234', name: 'Me', peerId: 'p-7', token: 'TOKEN-at-join' });
  });

  it('reads the token again when the room is back in_room', async () => {
    const { room } = await enterRoom();
    room.token = 'TOKEN-after-reconnect';
    act(() => room.setStatus('reconnecting'));
    expect(stored().token).toBe('TOKEN-fake-0123456789');
    act(() => room.setStatus('in_room'));
    expect(stored().token).toBe('TOKEN-after-reconnect');
  });

  it('drops it on Leave (a deliberate leave)', async () => {
    await enterRoom();
    expect(stored()).not.toBeNull();
    fireEvent.click(screen.getByTestId('leave-button'));
    fireEvent.click(screen.getByTestId('leave-confirm'));
    expect(stored()).toBeNull();
  });

  it('drops it when the room goes offline for good', async () => {
    const { room } = await enterRoom();
    act(() => room.setStatus('offline'));
    expect(stored()).toBeNull();
  });
});

describe('resuming on start', () => {
  it('rejoins at once from / with the stored peer id and token, showing the joining state', async () => {
    const room = new FakeRoom({ selfId: 'p-42', others: ['Bob'] });
    const { api } = renderApp({ room, hold: true, sessionStorage: { [KEY]: JSON.stringify(record) } });
    expect(api.joinRoom).toHaveBeenCalledTimes(1);
    expect(api.joinRoom).toHaveBeenCalledWith({
      code: 'ABC234', name: 'Ann', peerId: 'p-42', resumeToken: 'TOKEN-before-reload', debug: false,
    });
    expect(screen.getByTestId('join-button').textContent).toBe('Joining…');
    expect(stored()).toEqual(record); // a second reload meanwhile can still resume

    await act(() => api.settle());
    await screen.findByTestId('room-code');
    expect(window.location.pathname).toBe('/r/ABC234');
    expect(api.createRoom).not.toHaveBeenCalled();
    expect(stored()).toEqual({ ...record, token: room.token });
  });

  it('rejoins from the room link /r/CODE, keeping ?ice=relay', async () => {
    const { api } = renderApp({
      url: '/r/abc234?ice=relay',
      room: new FakeRoom({ selfId: 'p-42' }),
      sessionStorage: { [KEY]: JSON.stringify(record) },
    });
    await screen.findByTestId('room-code');
    expect(api.joinRoom).toHaveBeenCalledWith(expect.objectContaining({
      code: 'ABC234', peerId: 'p-42', resumeToken: 'TOKEN-before-reload', iceTransportPolicy: 'relay',
    }));
  });

  it('does not resume when the URL is another room, and forgets the old one', () => {
    const { api } = renderApp({ url: '/r/XYZ789', rememberedName: 'Ann', sessionStorage: { [KEY]: JSON.stringify(record) } });
    expect(api.joinRoom).not.toHaveBeenCalled();
    expect((screen.getByTestId('code-input') as HTMLInputElement).value).toBe('XYZ789');
    expect(stored()).toBeNull();
  });

  it('ignores a malformed record', () => {
    const { api } = renderApp({ sessionStorage: { [KEY]: '{"code":"ABC234"}' } });
    expect(api.joinRoom).not.toHaveBeenCalled();
    expect(screen.getByTestId('create-button')).toBeTruthy();
  });

  it('ignores a record whose peer id or token the server could not have given', () => {
    for (const bad of [{ ...record, peerId: 'p 42' }, { ...record, token: 'TOKEN before reload' }]) {
      const { api } = renderApp({ sessionStorage: { [KEY]: JSON.stringify(bad) } });
      expect(api.joinRoom).not.toHaveBeenCalled();
    }
  });

  it.each([
    ['room_not_found', 'Room not found. Check the code.'],
    ['peer_id_taken', 'Someone with the same id is already in that room.'],
  ] as const)('falls back to the lobby on %s, shows why and forgets the record', async (code, text) => {
    const { api } = renderApp({ rememberedName: 'Ann', hold: true, sessionStorage: { [KEY]: JSON.stringify(record) } });
    api.failWith = code;
    await act(() => api.settle());
    expect((await screen.findByTestId('lobby-error')).textContent).toBe(text);
    await waitFor(() => expect(stored()).toBeNull());
    expect(screen.queryByTestId('room-code')).toBeNull();
    expect((screen.getByTestId('join-button') as HTMLButtonElement).disabled).toBe(false);
    expect(window.location.pathname).toBe('/');
  });
});
