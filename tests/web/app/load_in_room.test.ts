// The room part of the app loads when the person first uses the lobby, not when the page opens.
import { describe, expect, it, vi } from 'vitest';
import { inRoom, loadInRoomWhenUsed } from '../../../web/src/app/load_in_room';

describe('loading the room part', () => {
  it('starts when the page is used (here a key press), not on focus', async () => {
    const stop = loadInRoomWhenUsed(document);
    const field = document.body.appendChild(document.createElement('input'));
    field.focus();
    field.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect(() => inRoom()).toThrow('not loaded yet');

    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'A', bubbles: true }));
    // The first import of the chunk's modules: Vite prepares them, slow on a busy machine.
    await vi.waitFor(() => expect(inRoom().RoomView).toBeTypeOf('function'), { timeout: 30_000 });
    stop();
    field.remove();
  });
});
