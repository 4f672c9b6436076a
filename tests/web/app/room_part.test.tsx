// The room part of the app (in_room.ts) is a chunk loaded alongside a join: when it cannot be
// loaded (the network dropped, a new deployment removed the old chunk), the join fails in the
// lobby like any other, and the room it had joined is left, not kept open behind the lobby.
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/preact';
import { renderApp } from './render_app';
import { FakeRoom } from './fake_room';

vi.mock('../../../web/src/app/in_room', () => {
  throw new Error('Failed to fetch dynamically imported module');
});

describe('room part of the app', () => {
  it('fails the join in the lobby and leaves the room when it does not load', async () => {
    const room = new FakeRoom({ others: ['Ann'] });
    renderApp({ rememberedName: 'Me', room });
    fireEvent.click(screen.getByTestId('create-button'));
    const error = await screen.findByTestId('lobby-error');
    expect(error.textContent).toContain('Something went wrong');
    expect(room.leaveCalls).toBe(1);
    expect(screen.queryByTestId('room-code')).toBeNull();
    expect(screen.getByTestId('create-button').hasAttribute('disabled')).toBe(false);
  });
});
