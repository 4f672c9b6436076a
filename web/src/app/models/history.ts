// Chat history kept across reloads (issue 11), in the browser's IndexedDB: per member of a room,
// bounded, cleared on request. Whoever makes a room model opens one for it, shows `restored` before
// the model's own lines, and hands over every line the model appends and every receipt of yours.
//
// Keyed by (room code, your peer id): two tabs in one browser are two members and never mix, and
// a reload that takes its place back (lib/place.ts) has the same peer id, so it finds its lines.
//
// Writes are batched: everything appended or updated in one task (one microtask burst) goes out
// in one transaction, in order, before the task ends; transactions run in the order they were
// made, so the store holds the lines in the order they were appended. What that guarantees about a
// tab closed right after a send: the line is handed to IndexedDB, and the commit asked for, before
// the page can unload (an unload never falls inside a task). Browsers generally finish such a
// transaction, but nothing promises it; and with 'relaxed' durability, a crash of the whole system
// (not of the tab) may lose the last moment. An animation frame would batch more, but background
// tabs get none, so a line sent just before switching away would wait for the tab to come back.
//
// Failure is quiet but visible: no IndexedDB, storage refused (private windows), no space, an
// IndexedDB that does not answer: the store stops writing (the room model's own lines are then the
// only copy: memory-only) and `problem` says why, once. Nothing here throws or rejects.
import { signal, type ReadonlySignal } from '@preact/signals';
import type { ChatLine } from './room';
import {
  RESTORED_KEY_PREFIX, STORED_LINE_VERSION, parseStoredRecord, restoredLine, toStoredLine, type StoredRecord,
} from './stored_line';

/** The IndexedDB database, shared by every room and member of this origin. */
export const HISTORY_DB_NAME = 'huddle.history';
const DB_VERSION = 1;
/** Lines: key [code, peer id, seq], value a StoredRecord (stored_line.ts). */
const LINES = 'lines';
/** Histories: key [code, peer id], value `{usedAt}`, this device's clock when last opened or written. */
const HISTORIES = 'histories';

/** Lines kept per history, oldest dropped first: room.ts MAX_LINES (a test keeps them equal). */
export const MAX_HISTORY_LINES = 500;
/** Histories kept; opening one more drops the least recently used. */
export const MAX_HISTORIES = 10;
/**
 * Lines older than this, and histories not used for this long, are dropped when a history is
 * opened, ms. Only the tab holding that place finds a history again, so an old one is not coming back.
 */
export const MAX_HISTORY_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** How long opening may take before the store gives up and goes memory-only, ms. */
export const OPEN_TIMEOUT_MS = 2000;

export interface HistoryOptions {
  /** The room's code or name, as joined (RoomModel.code). */
  readonly code: string;
  /** Your peer id in it (RoomModel.selfId). */
  readonly selfId: string;
  /** Default: globalThis.indexedDB (key ranges come from globalThis.IDBKeyRange); null: none. */
  readonly indexedDB?: IDBFactory | null;
  /** Wall clock, ms since the Unix epoch; default Date.now. */
  readonly now?: () => number;
  /** Default OPEN_TIMEOUT_MS. */
  readonly openTimeoutMs?: number;
}

export interface History {
  /**
   * What this member's earlier pages kept, oldest first (at most MAX_HISTORY_LINES), read when
   * the store opened: keys `history/<n>` (stored_line.ts restoredLine), receipts final. Empty when
   * there was nothing or storage is unavailable.
   */
  readonly restored: readonly ChatLine[];
  /** Why history is not being saved, as a sentence to show ("History is not saved on this device: …"); null while it is. */
  readonly problem: ReadonlySignal<string | null>;
  /**
   * Stores `line` after the others, with its receipts as they are now. Restored lines (already
   * kept) and lines a reload could not read back (stored_line.ts parseStoredRecord) are ignored.
   */
  append(line: ChatLine): void;
  /**
   * Your message `key`, appended to this history by this page, is now confirmed by `delivered`
   * (the whole list; ids not among its recipients are left out). Other keys are ignored.
   */
  updateDelivered(key: string, delivered: readonly string[]): void;
  /**
   * Forgets this history, stored and pending. True once it is gone from storage (or there is no
   * storage at all); false when it could not be reached (storage failing, or this store closed).
   */
  clear(): Promise<boolean>;
  /** Writes what is pending and closes; resolves when the writes are done. Later calls do nothing. */
  close(): Promise<void>;
}

/** A sentence for `problem`. */
function notSaved(reason: string): string {
  return `History is not saved on this device: ${reason}.`;
}

/** Opens (code, selfId)'s history, dropping what is out of bounds first. Never rejects: a store that cannot save says so in `problem`. */
export async function openHistory(options: HistoryOptions): Promise<History> {
  const { code, selfId } = options;
  const now = options.now ?? Date.now;
  const problem = signal<string | null>(null);
  const opened = await openDatabase(options.indexedDB, options.openTimeoutMs);
  // The database while the store saves; null once it is memory-only or closed.
  let conn: Connection | null = null;
  let restored: ChatLine[] = [];
  let nextSeq = 1;
  if (typeof opened === 'string') {
    problem.value = notSaved(opened);
  } else {
    try {
      const read = await pruneAndRead(opened, code, selfId, now());
      conn = opened;
      nextSeq = read.nextSeq;
      restored = read.lines.map(({ seq, record }) => restoredLine(record.line, seq));
    } catch (err) {
      opened.db.close();
      problem.value = notSaved(reasonFor(err));
    }
  }
  // Nothing was ever kept here: clearing has nothing to do.
  const nothingKept = opened === UNAVAILABLE;

  // Not yet handed to IndexedDB, by seq; a receipt for a line still here updates it in place.
  const pending = new Map<number, StoredRecord>();
  // Your messages appended by this page and still in bounds, by key: what a receipt rewrites.
  const mine = new Map<string, { seq: number; record: StoredRecord }>();
  const writes = new Set<Promise<void>>();
  let trimmedBelow = 0;
  let scheduled = false;
  let closed = false;

  const forget = () => {
    pending.clear();
    mine.clear();
  };
  const fail = (err: unknown) => {
    if (problem.value === null) problem.value = notSaved(reasonFor(err));
    conn?.db.close();
    conn = null;
    forget();
  };
  if (conn) {
    conn.db.onversionchange = () => fail(new NamedError('VersionChange'));
    conn.db.onclose = () => fail(new NamedError('Closed'));
  }

  const flush = () => {
    scheduled = false;
    if (!conn || pending.size === 0) return;
    const { db, range } = conn;
    const floor = nextSeq - MAX_HISTORY_LINES;
    const batch = [...pending].filter(([seq]) => seq >= floor);
    pending.clear();
    for (const [key, m] of mine) if (m.seq < floor) mine.delete(key);
    let tx: IDBTransaction | null = null;
    try {
      tx = db.transaction([LINES, HISTORIES], 'readwrite', { durability: 'relaxed' });
      const lines = tx.objectStore(LINES);
      for (const [seq, record] of batch) lines.put(record, [code, selfId, seq]);
      if (floor > trimmedBelow) {
        lines.delete(range.bound([code, selfId, 0], [code, selfId, floor], false, true));
        trimmedBelow = floor;
      }
      tx.objectStore(HISTORIES).put({ usedAt: now() }, [code, selfId]);
      tx.commit(); // everything is asked for: no need to wait for the task to end
    } catch (err) {
      abortQuietly(tx);
      fail(err);
      return;
    }
    const write = completion(tx).catch(fail);
    writes.add(write);
    void write.finally(() => writes.delete(write));
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  };

  const history: History = {
    restored,
    problem,
    append(line) {
      // Files are not kept: their data is gone after a reload, and a line without it would lie.
      if (closed || !conn || line.kind === 'file' || line.key.startsWith(RESTORED_KEY_PREFIX)) return;
      const record: StoredRecord = { v: STORED_LINE_VERSION, savedAt: now(), line: toStoredLine(line) };
      if (!parseStoredRecord(record)) return; // never write what a reload would skip
      const seq = nextSeq++;
      pending.set(seq, record);
      if (line.kind === 'chat' && line.mine) mine.set(line.key, { seq, record });
      schedule();
    },
    updateDelivered(key, delivered) {
      const m = mine.get(key);
      if (closed || !conn || !m || m.record.line.kind !== 'chat') return;
      const { recipients } = m.record.line;
      const confirmed = delivered.filter((id, i) => recipients.some((r) => r.id === id) && delivered.indexOf(id) === i);
      m.record = { ...m.record, line: { ...m.record.line, delivered: confirmed } };
      pending.set(m.seq, m.record);
      schedule();
    },
    async clear() {
      forget();
      if (closed || !conn) return nothingKept;
      const { db, range } = conn;
      try {
        const tx = db.transaction([LINES, HISTORIES], 'readwrite');
        tx.objectStore(LINES).delete(range.bound([code, selfId, 0], [code, selfId, Infinity]));
        tx.objectStore(HISTORIES).delete([code, selfId]);
        tx.commit();
        await completion(tx);
        return true;
      } catch (err) {
        fail(err);
        return false;
      }
    },
    async close() {
      if (closed) return;
      flush();
      closed = true;
      live.delete(forget);
      await Promise.all(writes);
      conn?.db.close();
      conn = null;
    },
  };
  live.add(forget);
  return history;
}

/**
 * Forgets every history of this origin, stored and pending in this page (other tabs may still
 * write lines they hold); true once storage holds none (or there is no storage).
 */
export async function clearAll(options: Pick<HistoryOptions, 'indexedDB' | 'openTimeoutMs'> = {}): Promise<boolean> {
  live.forEach((forget) => forget());
  const opened = await openDatabase(options.indexedDB, options.openTimeoutMs);
  if (typeof opened === 'string') return opened === UNAVAILABLE;
  try {
    const tx = opened.db.transaction([LINES, HISTORIES], 'readwrite');
    tx.objectStore(LINES).clear();
    tx.objectStore(HISTORIES).clear();
    tx.commit();
    await completion(tx);
    return true;
  } catch {
    return false;
  } finally {
    opened.db.close();
  }
}

// What clearAll must also drop: the pending writes of this page's open histories.
const live = new Set<() => void>();

const UNAVAILABLE = 'this browser offers no storage here';

/** An open database and the key ranges to query it with (globals, like the factory). */
interface Connection {
  readonly db: IDBDatabase;
  readonly range: typeof IDBKeyRange;
}

/** The open database, or why there is none (a reason for notSaved). */
async function openDatabase(factory: IDBFactory | null | undefined, timeoutMs = OPEN_TIMEOUT_MS): Promise<Connection | string> {
  let found: { idb: IDBFactory | null | undefined; range: typeof IDBKeyRange | undefined };
  try {
    // Reading them can throw too (sandboxed frames).
    found = { idb: factory === undefined ? globalThis.indexedDB : factory, range: globalThis.IDBKeyRange };
  } catch (err) {
    return reasonFor(err);
  }
  const { idb, range } = found;
  if (!idb || !range) return UNAVAILABLE;
  let request: IDBOpenDBRequest;
  try {
    request = idb.open(HISTORY_DB_NAME, DB_VERSION);
  } catch (err) {
    return reasonFor(err);
  }
  return new Promise((resolve) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      resolve(reasonFor(new NamedError('Timeout')));
    }, timeoutMs);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(LINES)) db.createObjectStore(LINES);
      if (!db.objectStoreNames.contains(HISTORIES)) db.createObjectStore(HISTORIES);
    };
    request.onsuccess = () => {
      clearTimeout(timer);
      if (late) request.result.close(); // whoever asked has gone memory-only already
      else resolve({ db: request.result, range });
    };
    request.onerror = (e) => {
      e.preventDefault(); // handled here
      clearTimeout(timer);
      resolve(reasonFor(request.error));
    };
  });
}

/**
 * In one transaction: drops histories unused for MAX_HISTORY_AGE_MS, then the least recently used
 * beyond MAX_HISTORIES, marks (code, selfId) used, drops its lines older than MAX_HISTORY_AGE_MS
 * and reads the rest. A record that does not parse is skipped (and kept, in case a newer version
 * wrote it) until it falls out of bounds; its seq still counts.
 */
function pruneAndRead({ db, range }: Connection, code: string, selfId: string, now: number) {
  const cutoff = now - MAX_HISTORY_AGE_MS;
  const lines: { seq: number; record: StoredRecord }[] = [];
  let nextSeq = 1;
  const tx = db.transaction([LINES, HISTORIES], 'readwrite', { durability: 'relaxed' });
  const lineStore = tx.objectStore(LINES);
  const histories = tx.objectStore(HISTORIES);
  const usedAts = histories.getAll();
  const keys = histories.getAllKeys();
  keys.onsuccess = () => {
    const others = keys.result
      .map((key, i) => ({ key, usedAt: usedAtOf(usedAts.result[i]) }))
      .filter(({ key }) => !(isPair(key) && key[0] === code && key[1] === selfId))
      .sort((a, b) => b.usedAt - a.usedAt);
    others.forEach(({ key, usedAt }, i) => {
      if (isPair(key) && usedAt >= cutoff && i < MAX_HISTORIES - 1) return;
      histories.delete(key);
      if (isPair(key)) lineStore.delete(range.bound([...key, 0], [...key, Infinity]));
    });
    histories.put({ usedAt: now }, [code, selfId]);
    const mine = range.bound([code, selfId, 0], [code, selfId, Infinity]);
    const values = lineStore.getAll(mine);
    const lineKeys = lineStore.getAllKeys(mine);
    lineKeys.onsuccess = () => {
      lineKeys.result.forEach((key, i) => {
        const seq = Array.isArray(key) ? key[2] : undefined;
        if (typeof seq !== 'number') return;
        nextSeq = Math.max(nextSeq, seq + 1);
        const record = parseStoredRecord(values.result[i]);
        if (record && record.savedAt < cutoff) lineStore.delete(key);
        else if (record) lines.push({ seq, record });
      });
    };
  };
  // No commit(): the requests above are made from callbacks, after this returns.
  return completion(tx).then(() => ({ lines: lines.slice(-MAX_HISTORY_LINES), nextSeq }));
}

/** A history's key: [code, peer id]. */
function isPair(key: IDBValidKey): key is [string, string] {
  return Array.isArray(key) && key.length === 2 && typeof key[0] === 'string' && typeof key[1] === 'string';
}

/** A history's last use, or -Infinity (drop it) when its value is not `{usedAt}`. */
function usedAtOf(value: unknown): number {
  if (value === null || typeof value !== 'object' || !('usedAt' in value)) return -Infinity;
  return typeof value.usedAt === 'number' && Number.isFinite(value.usedAt) ? value.usedAt : -Infinity;
}

function abortQuietly(tx: IDBTransaction | null): void {
  try {
    tx?.abort();
  } catch {
    // Already finished or aborted: nothing half-written to undo.
  }
}

/** Resolves when `tx` commits; rejects with its error when it aborts. */
function completion(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new NamedError('AbortError'));
  });
}

/** An error that only carries a name for reasonFor. */
class NamedError extends Error {
  constructor(name: string) {
    super(name);
    this.name = name;
  }
}

/** Why storage failed, in words for notSaved. */
function reasonFor(err: unknown): string {
  const name = err !== null && typeof err === 'object' && 'name' in err && typeof err.name === 'string' ? err.name : '';
  switch (name) {
    case 'QuotaExceededError':
      return 'the device has no room left for it';
    case 'SecurityError':
    case 'InvalidStateError':
      return 'the browser does not allow it here (a private window?)';
    case 'VersionError':
      return 'a newer version of huddle keeps it in this browser';
    case 'VersionChange':
      return 'a newer version of huddle was opened in another tab';
    case 'Closed':
      return 'the browser closed its storage (site data cleared?)';
    case 'Timeout':
      return "the browser's storage did not answer";
    default:
      return `the browser's storage failed (${name || 'unknown error'})`;
  }
}
