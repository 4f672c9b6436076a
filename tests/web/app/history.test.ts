// The chat history store (models/history.ts) over fake-indexeddb: what a reload gets back, whose
// it is, its bounds, batching, receipts, clearing, bad records and storage that fails.
import 'fake-indexeddb/auto'; // the globals, IDBKeyRange included; each test has its own factory
import { IDBDatabase, IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { signal } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  HISTORY_DB_NAME, MAX_HISTORIES, MAX_HISTORY_AGE_MS, MAX_HISTORY_LINES, clearAll, openHistory, type History, type HistoryOptions,
} from '../../../web/src/app/models/history';
import { MAX_STORED_TEXT } from '../../../web/src/app/models/stored_line';
import { MAX_LINES, MAX_TEXT_LENGTH, type ChatLine, type ChatMessage, type SystemLine } from '../../../web/src/app/models/room';

const DAY = 24 * 60 * 60 * 1000;
let factory: IDBFactory;
let clock: number;
const opened: History[] = [];

beforeEach(() => {
  factory = new IDBFactory();
  clock = Date.UTC(2025, 0, 1);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((h) => h.close()));
});

async function open(code = 'ABC234', selfId = 'me', extra: Partial<HistoryOptions> = {}): Promise<History> {
  const h = await openHistory({ code, selfId, indexedDB: factory, now: () => clock, ...extra });
  opened.push(h);
  return h;
}

/** Closes `h` and opens the same history again: what a reload sees. */
async function reload(h: History, code = 'ABC234', selfId = 'me'): Promise<History> {
  await h.close();
  return open(code, selfId);
}

function mine(id: number, text: string, recipients = ['ann', 'bob']): ChatMessage {
  return {
    kind: 'chat', key: `me:${id}`, id, from: 'me', fromName: 'Me', text, ts: 1000 + id, mine: true, broadcast: true,
    recipients: recipients.map((r) => ({ id: r, name: r.toUpperCase() })), delivered: signal([]),
  };
}

function received(id: number, text: string, from = 'ann'): ChatMessage {
  return {
    kind: 'chat', key: `${from}:${id}`, id, from, fromName: 'Ann', text, ts: 2000 + id, mine: false, broadcast: false,
    recipients: [], delivered: signal([]),
  };
}

function system(n: number, text: string): SystemLine {
  return { kind: 'system', key: `sys:${n}`, text, ts: 3000 + n };
}

/** A restored line's text (files are never stored, so none is a file line). */
const textOf = (l: ChatLine) => (l.kind === 'file' ? `file ${l.name}` : l.text);
const texts = (lines: readonly ChatLine[]) => lines.map(textOf);
const delivered = (line: ChatLine | undefined) => (line?.kind === 'chat' ? line.delivered.value : null);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Runs `use` on the raw database (the test's own connection), then closes it. */
async function raw<T>(use: (db: globalThis.IDBDatabase) => Promise<T>): Promise<T> {
  const db = await new Promise<globalThis.IDBDatabase>((resolve, reject) => {
    const req = factory.open(HISTORY_DB_NAME);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  try {
    return await use(db);
  } finally {
    db.close();
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

const storedKeys = (store: 'lines' | 'histories') =>
  raw((db) => request(db.transaction(store).objectStore(store).getAllKeys()));

describe('history across a reload', () => {
  it('gives back every kind of line in order, with receipts and keys of its own', async () => {
    const h = await open();
    const m = mine(1, 'hi all');
    h.append(system(1, 'Ann joined'));
    h.append(m);
    h.append(received(1, 'hello'));
    h.updateDelivered(m.key, ['bob', 'ann']);
    const back = (await reload(h)).restored;
    expect(texts(back)).toEqual(['Ann joined', 'hi all', 'hello']);
    expect(back.map((l) => l.key)).toEqual(['history/1', 'history/2', 'history/3']);
    expect(back[1]).toMatchObject({ kind: 'chat', id: 1, from: 'me', fromName: 'Me', ts: 1001, mine: true, broadcast: true });
    expect(back[1].kind === 'chat' && back[1].recipients).toEqual([{ id: 'ann', name: 'ANN' }, { id: 'bob', name: 'BOB' }]);
    expect(delivered(back[1])).toEqual(['bob', 'ann']);
    expect(back[2]).toMatchObject({ kind: 'chat', from: 'ann', mine: false, broadcast: false, recipients: [] });
    expect(back[0]).toEqual({ kind: 'system', key: 'history/1', text: 'Ann joined', ts: 3001 });
  });

  it('keeps numbering after restored lines and does not store them again', async () => {
    const h = await open();
    h.append(mine(1, 'one'));
    const again = await reload(h);
    again.restored.forEach((l) => again.append(l));
    again.append(mine(1, 'one after the reload')); // message ids start again on a new page
    const back = (await reload(again)).restored;
    expect(texts(back)).toEqual(['one', 'one after the reload']);
    expect(back.map((l) => l.key)).toEqual(['history/1', 'history/2']);
  });

  it('keeps each member of each room apart: two tabs in one room never mix', async () => {
    const [tab1, tab2, other] = await Promise.all([open('ABC234', 'p1'), open('ABC234', 'p2'), open('XYZ789', 'p1')]);
    tab1.append(mine(1, 'from tab 1'));
    tab2.append(mine(1, 'from tab 2'));
    other.append(mine(1, 'other room'));
    expect(texts((await reload(tab1, 'ABC234', 'p1')).restored)).toEqual(['from tab 1']);
    expect(texts((await reload(tab2, 'ABC234', 'p2')).restored)).toEqual(['from tab 2']);
    expect(texts((await reload(other, 'XYZ789', 'p1')).restored)).toEqual(['other room']);
  });

  it('keeps a line sent right before the page went away without closing', async () => {
    const h = await open();
    h.append(mine(1, 'last words'));
    await tick(); // the page is gone: no close(), its connection left open
    expect(texts((await open()).restored)).toEqual(['last words']);
  });

  it('writes what is pending when closed right after a send', async () => {
    const h = await open();
    h.append(mine(1, 'bye'));
    await h.close();
    expect(texts((await open()).restored)).toEqual(['bye']);
  });
});

describe('bounds', () => {
  it(`keeps the last ${MAX_HISTORY_LINES} lines of a history, like the room model`, async () => {
    expect(MAX_HISTORY_LINES).toBe(MAX_LINES);
    expect(MAX_STORED_TEXT).toBe(MAX_TEXT_LENGTH);
    const h = await open();
    for (let i = 1; i <= 300; i++) h.append(received(i, `a${i}`));
    await tick();
    for (let i = 1; i <= 300; i++) h.append(received(i, `b${i}`));
    const back = (await reload(h)).restored;
    expect(back).toHaveLength(MAX_HISTORY_LINES);
    expect(textOf(back[0])).toBe('a101');
    expect(textOf(back.at(-1)!)).toBe('b300');
    expect(await storedKeys('lines')).toHaveLength(MAX_HISTORY_LINES);
  });

  it(`keeps ${MAX_HISTORIES} histories, dropping the least recently used`, async () => {
    for (let i = 0; i <= MAX_HISTORIES; i++) {
      clock += 1000;
      const h = await open('ABC234', `p${i}`);
      h.append(mine(1, `p${i}`));
      await h.close();
    }
    expect(await storedKeys('histories')).toHaveLength(MAX_HISTORIES);
    expect(texts((await open('ABC234', 'p1')).restored)).toEqual(['p1']);
    expect((await open('ABC234', 'p0')).restored).toEqual([]);
    expect(await storedKeys('lines')).toHaveLength(MAX_HISTORIES - 1); // p0's is new and empty
  });

  it('drops lines, and histories unused, older than the age bound when a history opens', async () => {
    const h = await open('ABC234', 'me');
    h.append(mine(1, 'old'));
    await tick();
    const idle = await open('ABC234', 'idle');
    idle.append(mine(1, 'idle'));
    await idle.close();
    clock += MAX_HISTORY_AGE_MS - DAY;
    h.append(mine(2, 'recent'));
    await h.close();
    clock += DAY + 1;
    expect(texts((await open('ABC234', 'me')).restored)).toEqual(['recent']);
    expect(await storedKeys('histories')).toEqual([['ABC234', 'me']]);
    expect(await storedKeys('lines')).toEqual([['ABC234', 'me', 2]]);
  });
});

describe('writing', () => {
  it('writes one transaction per burst, and bursts in the order they came', async () => {
    const h = await open();
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    for (let i = 1; i <= 50; i++) h.append(received(i, `first ${i}`));
    await tick();
    expect(transaction).toHaveBeenCalledTimes(1);
    for (let i = 1; i <= 50; i++) h.append(received(i, `second ${i}`));
    h.append(system(1, 'third')); // same burst
    await Promise.resolve(); // the burst is written; what follows is another, in the same task
    h.append(system(2, 'fourth'));
    await tick();
    expect(transaction).toHaveBeenCalledTimes(3);
    const back = texts((await reload(h)).restored);
    expect(back).toHaveLength(102);
    expect(back.slice(48, 52)).toEqual(['first 49', 'first 50', 'second 1', 'second 2']);
    expect(back.slice(-2)).toEqual(['third', 'fourth']);
  });

  it('updates receipts of your messages, pending or written, and ignores other keys', async () => {
    const h = await open();
    const [a, b] = [mine(1, 'a'), mine(2, 'b', ['ann'])];
    h.append(a);
    h.append(b);
    h.append(received(1, 'c'));
    h.updateDelivered(a.key, ['ann']); // still pending
    await tick();
    h.updateDelivered(a.key, ['ann', 'bob']); // written already
    h.updateDelivered(b.key, ['ann', 'zed', 'ann']); // zed was not a recipient
    h.updateDelivered('ann:1', ['me']);
    h.updateDelivered('me:99', ['ann']);
    const back = (await reload(h)).restored;
    expect(back.map(delivered)).toEqual([['ann', 'bob'], ['ann'], []]);
    expect(back.map(textOf)).toEqual(['a', 'b', 'c']);
  });

  it('never writes a line a reload would skip', async () => {
    const h = await open();
    h.append(received(1, 'x'.repeat(MAX_STORED_TEXT + 1)));
    h.append(received(2, 'ok'));
    expect(texts((await reload(h)).restored)).toEqual(['ok']);
  });
});

describe('clearing', () => {
  it('clear() forgets this history only, pending lines included', async () => {
    const [h, other] = await Promise.all([open('ABC234', 'me'), open('ABC234', 'you')]);
    h.append(mine(1, 'written'));
    other.append(mine(1, 'kept'));
    await tick();
    h.append(mine(2, 'pending'));
    expect(await h.clear()).toBe(true);
    h.append(mine(3, 'after'));
    expect(texts((await reload(h)).restored)).toEqual(['after']);
    expect(texts((await reload(other, 'ABC234', 'you')).restored)).toEqual(['kept']);
  });

  it('clearAll() forgets every history, and what open ones still had to write', async () => {
    const [h, other] = await Promise.all([open('ABC234', 'me'), open('XYZ789', 'me')]);
    const m = mine(1, 'written');
    h.append(m);
    other.append(mine(1, 'other room'));
    await tick();
    h.append(mine(2, 'pending'));
    expect(await clearAll({ indexedDB: factory })).toBe(true);
    h.updateDelivered(m.key, ['ann']); // must not bring the line back
    await tick();
    expect(await storedKeys('lines')).toEqual([]);
    expect((await reload(h)).restored).toEqual([]);
    expect((await reload(other, 'XYZ789', 'me')).restored).toEqual([]);
  });
});

describe('records read back', () => {
  it('skips records that are corrupted or of another version, and numbers on after them', async () => {
    const good = { v: 1, savedAt: clock, line: { kind: 'system', key: 'sys:1', text: 'good', ts: 1 } };
    const chat = { kind: 'chat', key: 'me:1', id: 1, from: 'me', fromName: 'Me', text: 't', ts: 1, mine: true, broadcast: true };
    const records = [
      good,
      { ...good, v: 2 },
      'junk',
      null,
      { v: 1, savedAt: 'yesterday', line: good.line },
      { ...good, line: { kind: 'system', key: 'sys:2', ts: 1 } },
      { ...good, line: { ...chat, recipients: [{ id: 'ann', name: 'Ann' }], delivered: ['bob'] } },
      { ...good, line: { ...chat, recipients: 'ann', delivered: [] } },
      { ...good, line: { ...chat, id: -1, recipients: [], delivered: [] } },
      { ...good, line: { ...good.line, kind: 'poll' } },
      { ...good, line: { ...chat, text: 'good chat', recipients: [{ id: 'ann', name: 'Ann' }], delivered: ['ann'] } },
    ];
    await open().then((h) => h.close()); // makes the database
    await raw(async (db) => {
      const tx = db.transaction(['lines', 'histories'], 'readwrite');
      records.forEach((r, i) => tx.objectStore('lines').put(r, ['ABC234', 'me', i + 1]));
      tx.objectStore('histories').put('junk', ['ABC234', 'someone']);
      tx.objectStore('histories').put({ usedAt: clock }, 'not a pair');
      await new Promise((resolve) => (tx.oncomplete = resolve));
    });
    const h = await open();
    expect(h.problem.value).toBeNull();
    expect(texts(h.restored)).toEqual(['good', 'good chat']);
    expect(h.restored.map((l) => l.key)).toEqual(['history/1', `history/${records.length}`]);
    h.append(system(1, 'next'));
    await tick();
    expect(await storedKeys('lines')).toContainEqual(['ABC234', 'me', records.length + 1]);
    expect(await storedKeys('histories')).toEqual([['ABC234', 'me']]); // the bad ones are dropped
  });

});

describe('storage that fails', () => {
  const NOT_SAVED = 'History is not saved on this device: ';

  async function expectMemoryOnly(h: History, reason: string) {
    expect(h.problem.value).toBe(`${NOT_SAVED}${reason}.`);
    expect(h.restored).toEqual([]);
    h.append(mine(1, 'x'));
    h.updateDelivered('me:1', ['ann']);
    await h.close();
  }

  it('goes memory-only without IndexedDB', async () => {
    const h = await open('ABC234', 'me', { indexedDB: null });
    expect(await h.clear()).toBe(true); // nothing was ever kept
    await expectMemoryOnly(h, 'this browser offers no storage here');
    expect(await clearAll({ indexedDB: null })).toBe(true);
  });

  it('goes memory-only when storage is refused (a private window)', async () => {
    vi.spyOn(factory, 'open').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    await expectMemoryOnly(await open(), 'the browser does not allow it here (a private window?)');
    expect(await clearAll({ indexedDB: factory })).toBe(false);
  });

  it('goes memory-only when a newer version owns the database', async () => {
    await new Promise<void>((resolve) => {
      const req = factory.open(HISTORY_DB_NAME, 2);
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
    });
    await expectMemoryOnly(await open(), 'a newer version of huddle keeps it in this browser');
  });

  it('goes memory-only when IndexedDB does not answer, and closes it when it answers late', async () => {
    const held = await new Promise<globalThis.IDBDatabase>((resolve) => {
      const req = factory.open(HISTORY_DB_NAME);
      req.onsuccess = () => resolve(req.result);
    });
    factory.deleteDatabase(HISTORY_DB_NAME); // waits for `held` to close; every open waits behind it
    const h = await open('ABC234', 'me', { openTimeoutMs: 20 });
    await expectMemoryOnly(h, "the browser's storage did not answer");
    held.close();
    const close = vi.spyOn(IDBDatabase.prototype, 'close');
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
  });

  it('goes memory-only when the device runs out of space, once', async () => {
    const h = await open();
    h.append(mine(1, 'saved'));
    await tick();
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    h.append(mine(2, 'too much'));
    await tick();
    expect(h.problem.value).toBe(`${NOT_SAVED}the device has no room left for it.`);
    h.append(mine(3, 'ignored'));
    await tick();
    vi.restoreAllMocks();
    expect(texts((await reload(h)).restored)).toEqual(['saved']);
  });

  it('steps aside for a newer version opened in another tab', async () => {
    const h = await open();
    await new Promise<void>((resolve) => {
      const req = factory.open(HISTORY_DB_NAME, 2);
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
    }); // not blocked: the store closed its connection
    expect(h.problem.value).toBe(`${NOT_SAVED}a newer version of huddle was opened in another tab.`);
  });

  it('goes memory-only when the browser closes the database (site data cleared)', async () => {
    const realOpen = factory.open.bind(factory);
    const requests: IDBOpenDBRequest[] = [];
    vi.spyOn(factory, 'open').mockImplementation((name, version) => {
      const req = realOpen(name, version);
      requests.push(req);
      return req;
    });
    const h = await open();
    const db = requests[0].result;
    db.close();
    db.onclose?.call(db, new Event('close')); // what the browser fires when it closes a connection itself
    expect(h.problem.value).toBe(`${NOT_SAVED}the browser closed its storage (site data cleared?).`);
    h.append(mine(1, 'x'));
    await tick();
  });
});
