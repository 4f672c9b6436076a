// The lobby: names, codes, invite links, errors, room size, debug.
import { describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor } from '@testing-library/preact';
import { renderApp } from './render_app';

const typeInto = (testId: string, value: string) =>
  fireEvent.input(screen.getByTestId(testId), { target: { value } });

describe('lobby name', () => {
  it('rejects an empty name with a plain message and does not call the library', async () => {
    const { api } = renderApp();
    typeInto('name-input', '   ');
    fireEvent.click(screen.getByTestId('create-button'));
    expect(screen.getByTestId('lobby-error').textContent).toBe('Enter your name.');
    expect(screen.getByTestId('name-input').getAttribute('aria-invalid')).toBe('true');
    expect(api.createRoom).not.toHaveBeenCalled();
  });

  it('rejects names longer than 32 characters and accepts 32', async () => {
    const { api } = renderApp();
    typeInto('name-input', 'x'.repeat(33));
    fireEvent.click(screen.getByTestId('create-button'));
    expect(screen.getByTestId('lobby-error').textContent).toBe('Names can be at most 32 characters.');
    expect(api.createRoom).not.toHaveBeenCalled();

    typeInto('name-input', 'y'.repeat(32));
    expect(screen.queryByTestId('lobby-error')).toBeNull(); // editing clears the name error
    fireEvent.click(screen.getByTestId('create-button'));
    await screen.findByTestId('room-code');
    expect(api.createRoom).toHaveBeenCalledWith(expect.objectContaining({ name: 'y'.repeat(32) }));
  });

  it('remembers the trimmed name after a successful create and pre-fills it next time', async () => {
    renderApp();
    typeInto('name-input', '  Ann  ');
    fireEvent.click(screen.getByTestId('create-button'));
    await screen.findByTestId('room-code');
    expect(localStorage.getItem('huddle.name')).toBe('Ann');

    renderApp({ rememberedName: 'Ann' }); // a later visit
    expect((screen.getAllByTestId('name-input').at(-1) as HTMLInputElement).value).toBe('Ann');
  });

  it('does not remember a name when the attempt fails', async () => {
    const { api } = renderApp();
    api.failWith = 'server_unreachable';
    typeInto('name-input', 'Zed');
    fireEvent.click(screen.getByTestId('create-button'));
    await screen.findByTestId('lobby-error');
    expect(localStorage.getItem('huddle.name')).toBeNull();
  });
});

describe('lobby create', () => {
  it('offers room sizes 2..8 with 6 selected and passes the choice as maxMembers', async () => {
    const { api } = renderApp({ rememberedName: 'Ann' });
    const select = screen.getByTestId('room-size-select') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['2', '3', '4', '5', '6', '7', '8']);
    expect(select.value).toBe('6');
    fireEvent.change(select, { target: { value: '3' } });
    fireEvent.click(screen.getByTestId('create-button'));
    await screen.findByTestId('room-code');
    expect(api.createRoom).toHaveBeenCalledWith({ name: 'Ann', maxMembers: 3, relayOnly: false, debug: false });
  });

  it('creates a relay-only room when the box is ticked', async () => {
    const { api } = renderApp({ rememberedName: 'Ann' });
    const box = screen.getByLabelText(
      'Send everything through the server (for networks that block direct connections)',
    ) as HTMLInputElement;
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    expect(box.checked).toBe(true);
    fireEvent.click(screen.getByTestId('create-button'));
    await screen.findByTestId('room-code');
    expect(api.createRoom).toHaveBeenCalledWith(expect.objectContaining({ relayOnly: true }));
  });

  it('disables both buttons and says so while the request is pending', async () => {
    const { api } = renderApp({ rememberedName: 'Ann' });
    api.hold = true;
    fireEvent.click(screen.getByTestId('create-button'));
    await waitFor(() => expect(screen.getByTestId('create-button').textContent).toBe('Creating…'));
    expect((screen.getByTestId('create-button') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('join-button') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('create-button'));
    expect(api.createRoom).toHaveBeenCalledTimes(1);
    await act(() => api.settle());
    await screen.findByTestId('room-code');
  });
});

describe('lobby join by code', () => {
  it('uppercases a typed lowercase code and joins with it', async () => {
    const { api } = renderApp({ rememberedName: 'Bo' });
    typeInto('code-input', 'abc234');
    const input = screen.getByTestId('code-input') as HTMLInputElement;
    expect(input.value).toBe('ABC234');
    expect(screen.getByTestId('join-button').textContent).toBe('Join room ABC234');
    fireEvent.click(screen.getByTestId('join-button'));
    await screen.findByTestId('room-code');
    expect(api.joinRoom).toHaveBeenCalledWith({ code: 'ABC234', name: 'Bo', debug: false });
    expect(window.location.pathname).toBe('/r/ABC234');
  });

  it('takes the code out of a pasted share link', () => {
    renderApp({ rememberedName: 'Bo' });
    typeInto('code-input', 'https://huddle.example/r/xyz789');
    expect((screen.getByTestId('code-input') as HTMLInputElement).value).toBe('XYZ789');
  });

  it.each([
    ['', 'Enter the 6-character room code.'],
    ['ABC', 'Room codes are 6 characters: letters A–Z without I or O, and digits 2–9.'],
    ['ABCDE0', 'Room codes are 6 characters: letters A–Z without I or O, and digits 2–9.'],
    ['abcdei', 'Room codes are 6 characters: letters A–Z without I or O, and digits 2–9.'],
  ])('rejects code %j without calling the library', (code, message) => {
    const { api } = renderApp({ rememberedName: 'Bo' });
    typeInto('code-input', code);
    fireEvent.click(screen.getByTestId('join-button'));
    expect(screen.getByTestId('lobby-error').textContent).toBe(message);
    expect(screen.getByTestId('code-input').getAttribute('aria-invalid')).toBe('true');
    expect(api.joinRoom).not.toHaveBeenCalled();
  });

  it('checks the name before the code', () => {
    renderApp();
    typeInto('code-input', 'ABC234');
    fireEvent.click(screen.getByTestId('join-button'));
    expect(screen.getByTestId('lobby-error').textContent).toBe('Enter your name.');
  });
});

describe('lobby invite link /r/CODE', () => {
  it('pre-fills the code and offers "Join room CODE" first when a name is remembered', async () => {
    const { api } = renderApp({ url: '/r/abc234', rememberedName: 'Cara' });
    const join = screen.getByTestId('join-button');
    expect((screen.getByTestId('code-input') as HTMLInputElement).value).toBe('ABC234');
    expect(screen.getByRole('heading', { name: 'Join room ABC234' })).toBeTruthy();
    expect(join.textContent).toBe('Join room ABC234');
    expect(join.className).toContain('primary');
    expect(document.activeElement).toBe(join);
    // Join comes before create in the page order.
    const create = screen.getByTestId('create-button');
    expect(join.compareDocumentPosition(create) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(api.joinRoom).not.toHaveBeenCalled(); // the person decides

    fireEvent.click(join);
    await screen.findByTestId('room-code');
    expect(api.joinRoom).toHaveBeenCalledWith({ code: 'ABC234', name: 'Cara', debug: false });
  });

  it('asks for a name first when none is remembered', () => {
    renderApp({ url: '/r/ABC234' });
    expect((screen.getByTestId('code-input') as HTMLInputElement).value).toBe('ABC234');
    expect(document.activeElement).toBe(screen.getByTestId('name-input'));
  });

  it('says a link without a valid code is not a room link, and puts joining first', () => {
    const { api } = renderApp({ url: '/r/NOPE0', rememberedName: 'Cara' });
    const codeInput = screen.getByTestId('code-input') as HTMLInputElement;
    expect(codeInput.value).toBe('');
    expect(screen.queryByRole('heading', { name: /Join room/ })).toBeNull();
    const error = screen.getByTestId('lobby-error');
    expect(error.textContent).toMatch(/isn't a valid room link/);
    expect(error.textContent).toMatch(/type the code in the box above, or ask for a new link/);
    expect(error.textContent).not.toContain('NOPE0'); // nothing from the URL is echoed
    expect(error.getAttribute('role')).toBe('alert');
    expect(codeInput.getAttribute('aria-invalid')).toBe('true');
    expect(codeInput.getAttribute('aria-describedby')).toBe(error.id);
    // The name is known, so the code is what the next keystroke should fill.
    expect(document.activeElement).toBe(codeInput);
    const join = screen.getByTestId('join-button');
    const create = screen.getByTestId('create-button');
    expect(join.className).toContain('primary');
    expect(join.compareDocumentPosition(create) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(api.joinRoom).not.toHaveBeenCalled();
  });

  it('asks for the name first on a bad link when none is remembered, and typing a code clears the notice', () => {
    renderApp({ url: '/r/abc' });
    expect(document.activeElement).toBe(screen.getByTestId('name-input'));
    expect(screen.getByTestId('lobby-error').textContent).toMatch(/isn't a valid room link/);
    typeInto('code-input', 'abc234');
    expect(screen.queryByTestId('lobby-error')).toBeNull();
  });

  it.each(['/r/', '/r/ABC23%', '/r/ABC2345', '/r/my-room'])('treats %s as a bad room link', (url) => {
    renderApp({ url, rememberedName: 'Cara' });
    expect(screen.getByTestId('lobby-error').textContent).toMatch(/isn't a valid room link/);
  });

  it('says nothing about links on the plain lobby', () => {
    renderApp({ url: '/', rememberedName: 'Cara' });
    expect(screen.queryByTestId('lobby-error')).toBeNull();
  });

  it('tells someone whose invite leads to a room that has ended what to do', async () => {
    const { api } = renderApp({ url: '/r/ABC234', rememberedName: 'Cara' });
    api.failWith = 'room_not_found';
    fireEvent.click(screen.getByTestId('join-button'));
    const error = await screen.findByTestId('lobby-error');
    expect(error.textContent).toBe(
      "Room ABC234 isn't open anymore: rooms end when everyone has left. Ask for a new link, or start a new room below.",
    );
  });
});

describe('lobby errors from the library', () => {
  it.each([
    ['room_not_found', 'Room not found. Check the code.', 'code-input'],
    ['room_full', 'That room is full.', null],
    ['server_unreachable', "Can't reach the huddle server.", null],
    ['invalid_name', "That name can't be used. Pick 1–32 characters.", 'name-input'],
    ['name_taken', 'Someone in that room already uses that name.', 'name-input'],
    ['invalid_code', "That isn't a valid room code. Codes are 6 letters and digits.", 'code-input'],
  ] as const)('%s is shown as %j', async (code, text, field) => {
    const { api } = renderApp({ rememberedName: 'Dee' });
    api.failWith = code;
    typeInto('code-input', 'ABC234');
    fireEvent.click(screen.getByTestId('join-button'));
    const error = await screen.findByTestId('lobby-error');
    expect(error.textContent).toBe(text);
    expect(error.getAttribute('role')).toBe('alert');
    if (field) expect(screen.getByTestId(field).getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('room-code')).toBeNull();
    expect((screen.getByTestId('join-button') as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows an unknown failure with its message', async () => {
    const { api } = renderApp({ rememberedName: 'Dee' });
    api.createRoom.mockImplementationOnce(() => Promise.reject(new Error('boom')));
    fireEvent.click(screen.getByTestId('create-button'));
    expect((await screen.findByTestId('lobby-error')).textContent).toBe('Something went wrong (boom). Try again.');
  });
});

describe('ICE policy switch ?ice=relay', () => {
  it('passes iceTransportPolicy "relay" when creating', async () => {
    const { api } = renderApp({ url: '/?ice=relay', rememberedName: 'Eve' });
    fireEvent.click(screen.getByTestId('create-button'));
    await screen.findByTestId('room-code');
    expect(api.createRoom).toHaveBeenCalledWith(expect.objectContaining({ iceTransportPolicy: 'relay' }));
    expect(window.location.pathname + window.location.search).toBe('/r/ABC234?ice=relay'); // kept for a reload
  });

  it('passes iceTransportPolicy "relay" when joining from an invite link', async () => {
    const { api } = renderApp({ url: '/r/ABC234?ice=relay', rememberedName: 'Eve' });
    fireEvent.click(screen.getByTestId('join-button'));
    await screen.findByTestId('room-code');
    expect(api.joinRoom).toHaveBeenCalledWith({ code: 'ABC234', name: 'Eve', debug: false, iceTransportPolicy: 'relay' });
  });

  it('passes no policy without it (the library default)', async () => {
    const { api } = renderApp({ url: '/?ice=all', rememberedName: 'Eve' });
    fireEvent.click(screen.getByTestId('create-button'));
    await screen.findByTestId('room-code');
    expect(api.createRoom.mock.calls[0][0]).not.toHaveProperty('iceTransportPolicy');
  });
});

describe('debug option', () => {
  it.each([
    ['/?debug=1', {}, true],
    ['/', { 'huddle.debug': '1' }, true],
    ['/', {}, false],
    ['/?debug=0', {}, false],
  ] as const)('url %s with storage %j passes debug=%s', async (url, storage, debug) => {
    const { api } = renderApp({ url, storage: { 'huddle.name': 'Eve', ...storage } });
    fireEvent.click(screen.getByTestId('create-button'));
    await screen.findByTestId('room-code');
    expect(api.createRoom).toHaveBeenCalledWith(expect.objectContaining({ debug }));
  });

  it('keeps ?debug=1 in the address bar when entering a room', async () => {
    renderApp({ url: '/?debug=1', rememberedName: 'Eve' });
    fireEvent.click(screen.getByTestId('create-button'));
    await screen.findByTestId('room-code');
    expect(window.location.pathname + window.location.search).toBe('/r/ABC234?debug=1');
  });
});
