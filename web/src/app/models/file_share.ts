// Files in the conversation: each one sent or received is a line with its progress, then a
// download link (received) or who got it (sent). Everything travels through the library's
// room.sendFile / 'file' event; this model only keeps what a person sees, and the object URLs it
// makes (revoked when the line goes or the room is left).
import { signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { FileTransfer, IncomingFile, Room } from '../../lib';
import { friendlyError } from './errors';

export type FileState = 'sending' | 'receiving' | 'done' | 'failed';

export interface FileLine {
  readonly kind: 'file';
  readonly key: string;
  readonly mine: boolean;
  readonly from: string;
  readonly fromName: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly ts: number;
  /** Bytes sent (acknowledged by the slowest recipient) or received so far. */
  readonly progress: ReadonlySignal<number>;
  readonly state: ReadonlySignal<FileState>;
  /** Received and checked: a blob: URL to download it from. */
  readonly url: ReadonlySignal<string | null>;
  /** What went wrong, in plain language; or for a sent file, who has it ("Ann and Ben have it"). */
  readonly note: ReadonlySignal<string>;
  /** Stops it (no-op once done or failed). */
  cancel(): void;
  /** Frees the download's memory; the line is going away. */
  release(): void;
}

export interface FileShareDeps {
  readonly room: Room;
  readonly nameOf: (peerId: string) => string;
  readonly append: (line: FileLine) => void;
  readonly reportError: (err: unknown) => void;
  readonly now: () => number;
  /** URL.createObjectURL / revokeObjectURL; tests pass their own. */
  readonly urls?: { create(blob: Blob): string; revoke(url: string): void };
}

export interface FileShare {
  /** Sends `file` to everyone; false (with the error reported) when it could not start. */
  send(file: File): boolean;
  /** Listens for incoming files; returns the cleanup (which also cancels what is still moving). */
  attach(): () => void;
}

const browserUrls = { create: (b: Blob) => URL.createObjectURL(b), revoke: (u: string) => URL.revokeObjectURL(u) };

/** "1.2 MB", "340 KB", "12 bytes". */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function names(list: readonly string[]): string {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

export function createFileShare(deps: FileShareDeps): FileShare {
  const { room } = deps;
  const urls = deps.urls ?? browserUrls;
  const live = new Set<{ cancel(): void }>();
  let count = 0;

  const line = (fields: { mine: boolean; from: string; name: string; size: number; type: string }, cancel: () => void) => {
    const progress = signal(0);
    const state: Signal<FileState> = signal(fields.mine ? 'sending' : 'receiving');
    const url = signal<string | null>(null);
    const note = signal('');
    const handle = { cancel };
    live.add(handle);
    const item: FileLine = {
      kind: 'file',
      key: `file:${++count}`,
      ...fields,
      fromName: deps.nameOf(fields.from),
      ts: deps.now(),
      progress,
      state,
      url,
      note,
      cancel() {
        if (state.peek() === 'sending' || state.peek() === 'receiving') cancel();
      },
      release() {
        live.delete(handle);
        if (url.peek()) urls.revoke(url.peek()!);
        url.value = null;
      },
    };
    return { item, progress, state, url, note, finish: () => live.delete(handle) };
  };

  const onFile = (incoming: IncomingFile) => {
    const f = line({ mine: false, from: incoming.from, name: incoming.name, size: incoming.size, type: incoming.type }, () => incoming.cancel());
    incoming.on('progress', ({ received }) => (f.progress.value = received));
    deps.append(f.item);
    incoming.blob().then(
      (blob) => {
        f.finish();
        f.progress.value = blob.size;
        f.url.value = urls.create(blob);
        f.state.value = 'done';
      },
      (err) => {
        f.finish();
        f.note.value = friendlyError(err);
        f.state.value = 'failed';
      },
    );
  };

  return {
    send(file) {
      let transfer: FileTransfer;
      try {
        transfer = room.sendFile(file);
      } catch (err) {
        deps.reportError(err);
        return false;
      }
      const f = line({ mine: true, from: room.selfId, name: transfer.name, size: transfer.size, type: transfer.type }, () => transfer.cancel());
      transfer.on('progress', ({ sent }) => (f.progress.value = sent));
      deps.append(f.item);
      transfer.done.then(
        (result) => {
          f.finish();
          f.progress.value = transfer.size;
          const got = result.delivered.map(deps.nameOf);
          f.note.value = result.failed.length === 0
            ? `${names(got)} ${got.length === 1 ? 'has' : 'have'} it`
            : `${names(got)} ${got.length === 1 ? 'has' : 'have'} it; ${names(result.failed.map((x) => deps.nameOf(x.peerId)))} did not get it`;
          f.state.value = 'done';
        },
        (err) => {
          f.finish();
          f.note.value = friendlyError(err);
          f.state.value = 'failed';
        },
      );
      return true;
    },
    attach() {
      const off = room.on('file', onFile);
      return () => {
        off();
        for (const t of [...live]) t.cancel();
        live.clear();
      };
    },
  };
}
