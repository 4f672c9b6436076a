// Locked rooms in the app's lobby (docs/protocol.md "Room passwords"): "only people with the link"
// puts a generated secret in the share link's fragment, a typed password stays out of it, a link
// with `#k=` joins with its secret, and a room that needs a password asks for one.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { renderApp } from './render_app';

const typeInto = (testId: string, value: string) =>
  fireEvent.input(screen.getByTestId(testId), { target: { value } });

const shareLink = () => {
  const el = screen.getByTestId('share-link');
  return (el as HTMLInputElement).value || el.getAttribute('href') || el.textContent || '';
};

describe('creating a locked room', () => {
  it('"only people with the link" sends a fresh secret as the password and puts it in the fragment', async () => {
    const { api } = renderApp({ rememberedName: 'Ann' });
    fireEvent.change(screen.getByTestId('access-select'), { target: { value: 'link' } });
    fireEvent.click(screen.getByTestId('create-button'));
    await screen.findByTestId('room-code');
    const secret = api.createRoom.mock.calls[0][0].password ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(shareLink()).toBe(`${window.location.origin}/r/ABC234#k=${secret}`);
    expect(window.location.pathname + window.location.search).toBe('/r/ABC234');
    expect(window.location.hash).toBe(`#k=${secret}`);
  });

  it('a typed password goes to the server and stays out of the link', async () => {
    const { api } = renderApp({ rememberedName: 'Ann' });
    fireEvent.change(screen.getByTestId('access-select'), { target: { value: 'password' } });
    fireEvent.click(screen.getByTestId('create-button'));
    expect(screen.getByTestId('lobby-error').textContent).toBe('Type the password people will need to join.');
    expect(api.createRoom).not.toHaveBeenCalled();
    typeInto('new-password-input', 'tulip 42');
    fireEvent.click(screen.getByTestId('create-button'));
    await screen.findByTestId('room-code');
    expect(api.createRoom).toHaveBeenCalledWith(expect.objectContaining({ password: 'tulip 42' }));
    expect(shareLink()).toBe(`${window.location.origin}/r/ABC234`);
  });

  it('anyone with the code is the default: no password is sent', async () => {
    const { api } = renderApp({ rememberedName: 'Ann' });
    fireEvent.click(screen.getByTestId('create-button'));
    await screen.findByTestId('room-code');
    expect(api.createRoom.mock.calls[0][0]).not.toHaveProperty('password');
  });
});

describe('joining a locked room', () => {
  it('a link with #k= joins with its secret, and the room keeps the secret in its share link', async () => {
    const { api } = renderApp({ rememberedName: 'Bo', url: '/r/ABC234#k=s3cret-from-link' });
    fireEvent.click(screen.getByTestId('join-button'));
    await screen.findByTestId('room-code');
    expect(api.joinRoom).toHaveBeenCalledWith(expect.objectContaining({ code: 'ABC234', password: 's3cret-from-link' }));
    expect(shareLink()).toBe(`${window.location.origin}/r/ABC234#k=s3cret-from-link`);
  });

  it('asks for the password when the room needs one, with focus in the field, then says when it is wrong', async () => {
    const { api } = renderApp({ rememberedName: 'Bo', url: '/r/ABC234' });
    api.failWith = 'wrong_password';
    expect(screen.queryByTestId('password-input')).toBeNull();
    fireEvent.click(screen.getByTestId('join-button'));
    await waitFor(() => expect(screen.getByTestId('lobby-error').textContent).toBe(
      'Room ABC234 needs a password. Type it to join.'));
    const field = screen.getByTestId('password-input');
    expect(document.activeElement).toBe(field);
    expect(field.getAttribute('aria-invalid')).toBe('true');

    typeInto('password-input', 'tulip 24');
    fireEvent.click(screen.getByTestId('join-button'));
    await waitFor(() => expect(screen.getByTestId('lobby-error').textContent).toBe(
      "That password isn't right. Check it and try again."));
    expect(api.joinRoom).toHaveBeenLastCalledWith(expect.objectContaining({ password: 'tulip 24' }));
    expect(document.activeElement).toBe(screen.getByTestId('password-input'));

    api.failWith = null;
    typeInto('password-input', 'tulip 42');
    fireEvent.click(screen.getByTestId('join-button'));
    await screen.findByTestId('room-code');
    expect(api.joinRoom).toHaveBeenLastCalledWith(expect.objectContaining({ password: 'tulip 42' }));
    expect(shareLink()).toBe(`${window.location.origin}/r/ABC234`); // a typed password is not passed on
  });

  it('a link whose key does not open the room says so and asks for the password', async () => {
    const { api } = renderApp({ rememberedName: 'Bo', url: '/r/ABC234#k=stale' });
    api.failWith = 'wrong_password';
    fireEvent.click(screen.getByTestId('join-button'));
    await waitFor(() => expect(screen.getByTestId('lobby-error').textContent).toContain("This link's key doesn't open room ABC234"));
    expect(document.activeElement).toBe(screen.getByTestId('password-input'));
  });
});
