// Files in the conversation: a line per file with its progress, then a download link or who has
// it, or what went wrong; cancelling; object URLs freed.
import { describe, expect, it, vi } from 'vitest';
import { HuddleError, type FileSent, type FileTransfer, type IncomingFile, type Room } from '../../../web/src/lib/types';
import { createFileShare, formatSize, type FileLine } from '../../../web/src/app/models/file_share';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function setup() {
  const sent = deferred<FileSent>();
  let sendProgress: (p: { sent: number; total: number }) => void = () => {};
  const transfer: FileTransfer = {
    id: 't1', to: ['ann', 'bob'], name: 'notes.txt', size: 1000, type: 'text/plain',
    on: (_e, h) => ((sendProgress = h as typeof sendProgress), () => {}), cancel: vi.fn(), done: sent.promise,
  };
  let onFile: (f: IncomingFile) => void = () => {};
  const room = {
    selfId: 'me',
    sendFile: vi.fn(() => transfer),
    on: vi.fn((event: string, h: (f: IncomingFile) => void) => {
      if (event === 'file') onFile = h;
      return () => {};
    }),
  } as unknown as Room;
  const lines: FileLine[] = [];
  const urls = { create: vi.fn(() => 'blob:x'), revoke: vi.fn() };
  const errors: unknown[] = [];
  const share = createFileShare({ room, nameOf: (id) => id[0].toUpperCase() + id.slice(1), append: (l) => lines.push(l), reportError: (e) => errors.push(e), now: () => 0, urls });
  share.attach();
  return { share, room, lines, urls, errors, sent, transfer, progress: (n: number) => sendProgress({ sent: n, total: 1000 }), receive: (f: IncomingFile) => onFile(f) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('sending a file', () => {
  it('shows a line that moves with the slowest recipient, then who has it', async () => {
    const { share, lines, sent, progress } = setup();
    expect(share.send(new File(['x'.repeat(1000)], 'notes.txt'))).toBe(true);
    const [f] = lines;
    expect(f).toMatchObject({ kind: 'file', mine: true, name: 'notes.txt', size: 1000 });
    expect(f.state.value).toBe('sending');
    progress(400);
    expect(f.progress.value).toBe(400);
    sent.resolve({ delivered: ['ann'], failed: [{ peerId: 'bob', error: new HuddleError('file_cancelled', 'declined') }] });
    await settle();
    expect(f.state.value).toBe('done');
    expect(f.note.value).toBe('Ann has it; Bob did not get it');
  });

  it('says why when nobody got it, and reports a file refused before sending', async () => {
    const { share, lines, sent, room, errors } = setup();
    share.send(new File(['x'], 'a'));
    sent.reject(new HuddleError('file_cancelled', 'cancelled'));
    await settle();
    expect(lines[0].state.value).toBe('failed');
    expect(lines[0].note.value).toBe('The file transfer was cancelled.');
    (room.sendFile as ReturnType<typeof vi.fn>).mockImplementationOnce(() => {
      throw new HuddleError('file_too_large', 'too big');
    });
    expect(share.send(new File(['x'], 'huge'))).toBe(false);
    expect(errors).toHaveLength(1);
    expect(lines).toHaveLength(1); // no line for a file that never started
  });

  it('cancel stops it while it moves, and not after', async () => {
    const { share, lines, transfer, sent } = setup();
    share.send(new File(['x'], 'a'));
    lines[0].cancel();
    expect(transfer.cancel).toHaveBeenCalledTimes(1);
    sent.resolve({ delivered: ['ann'], failed: [] });
    await settle();
    lines[0].cancel();
    expect(transfer.cancel).toHaveBeenCalledTimes(1);
  });
});

describe('receiving a file', () => {
  it('shows its progress, then a download link; releasing frees the URL', async () => {
    const { lines, urls, receive } = setup();
    const blob = deferred<Blob>();
    let onProgress: (p: { received: number; total: number }) => void = () => {};
    receive({ id: 'f', from: 'ann', name: 'cat.png', size: 3, type: 'image/png', on: (_e, h) => ((onProgress = h), () => {}), cancel: vi.fn(), blob: () => blob.promise });
    const [f] = lines;
    expect(f).toMatchObject({ mine: false, fromName: 'Ann', name: 'cat.png' });
    expect(f.state.value).toBe('receiving');
    onProgress({ received: 2, total: 3 });
    expect(f.progress.value).toBe(2);
    blob.resolve(new Blob(['abc']));
    await settle();
    expect(f.state.value).toBe('done');
    expect(f.url.value).toBe('blob:x');
    f.release();
    expect(urls.revoke).toHaveBeenCalledWith('blob:x');
    expect(f.url.value).toBeNull();
  });

  it('a file that arrives damaged says so, with no link', async () => {
    const { lines, receive } = setup();
    receive({ id: 'f', from: 'bob', name: 'x', size: 3, type: '', on: () => () => {}, cancel: vi.fn(), blob: () => Promise.reject(new HuddleError('file_corrupt', 'sha')) });
    await settle();
    expect(lines[0].state.value).toBe('failed');
    expect(lines[0].url.value).toBeNull();
    expect(lines[0].note.value).toBe('The file arrived damaged and was discarded. Ask for it again.');
  });
});

it('formats sizes for people', () => {
  expect(formatSize(1)).toBe('1 byte');
  expect(formatSize(999)).toBe('999 bytes');
  expect(formatSize(340_000)).toBe('340 KB');
  expect(formatSize(5_242_880)).toBe('5.2 MB');
});
