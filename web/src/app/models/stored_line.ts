// A chat line as the history store keeps it (history.ts): plain JSON data in a versioned record,
// checked field by field when read back, and the conversions to and from the room model's lines.
// Types only from room.ts, so the room model can import the store without an import cycle.
import { signal } from '@preact/signals';
import { MAX_ROOM_SIZE } from '../../lib/limits';
import type { ChatLine, Recipient } from './room';

/** Version of the records written now; a record of any other version is skipped when read. */
export const STORED_LINE_VERSION = 1;
/** Longest text a stored line may hold: room.ts MAX_TEXT_LENGTH (a test keeps them equal). */
export const MAX_STORED_TEXT = 2000;
/** Longest key, peer id or name a stored line may hold (the real ones are far shorter). */
const MAX_FIELD = 256;
/** Prefix of a restored line's key: `history/<n>`. `/` is in no peer id, so no chat key starts so. */
export const RESTORED_KEY_PREFIX = 'history/';

/** A chat message as stored: room.ts ChatMessage with its receipts as they last were. */
export interface StoredChat {
  readonly kind: 'chat';
  readonly key: string;
  readonly id: number;
  readonly from: string;
  readonly fromName: string;
  readonly text: string;
  /** The sender's wall clock when sent, ms since the Unix epoch. */
  readonly ts: number;
  readonly mine: boolean;
  readonly broadcast: boolean;
  readonly recipients: readonly Recipient[];
  /** Ids of recipients that confirmed receipt, in confirmation order; each one is a recipient. */
  readonly delivered: readonly string[];
}

/** A system line as stored: room.ts SystemLine. */
export interface StoredSystem {
  readonly kind: 'system';
  readonly key: string;
  readonly text: string;
  readonly ts: number;
}

export type StoredLine = StoredChat | StoredSystem;

/** What one IndexedDB value holds. */
export interface StoredRecord {
  readonly v: typeof STORED_LINE_VERSION;
  /** This device's clock when stored, ms since the Unix epoch: what the age bound goes by. */
  readonly savedAt: number;
  readonly line: StoredLine;
}

/** The plain copy of `line` to store, with its receipts as they are now. */
export function toStoredLine(line: Exclude<ChatLine, { kind: 'file' }>): StoredLine {
  if (line.kind === 'system') return { kind: 'system', key: line.key, text: line.text, ts: line.ts };
  return {
    kind: 'chat',
    key: line.key,
    id: line.id,
    from: line.from,
    fromName: line.fromName,
    text: line.text,
    ts: line.ts,
    mine: line.mine,
    broadcast: line.broadcast,
    recipients: line.recipients.map((r) => ({ id: r.id, name: r.name })),
    delivered: [...line.delivered.value],
  };
}

/**
 * The room model's line for a stored one read back as number `seq` of its history. Its key is
 * `history/<seq>`: message ids and system line numbers start again on a reload, so the stored key
 * could be taken by a line of this page. Its receipts are final (the page that was waiting for
 * them is gone), so `delivered` never changes.
 */
export function restoredLine(line: StoredLine, seq: number): ChatLine {
  const key = `${RESTORED_KEY_PREFIX}${seq}`;
  if (line.kind === 'system') return { ...line, key };
  return { ...line, key, delivered: signal(line.delivered) };
}

/**
 * The record in an IndexedDB value, or null when it is not one this version wrote in full: another
 * version, a missing or mistyped field, text out of bounds, receipts from someone not a recipient.
 */
export function parseStoredRecord(value: unknown): StoredRecord | null {
  const r = fields(value);
  if (!r || r.v !== STORED_LINE_VERSION || !isTime(r.savedAt)) return null;
  const line = parseLine(r.line);
  return line && { v: STORED_LINE_VERSION, savedAt: r.savedAt, line };
}

function parseLine(value: unknown): StoredLine | null {
  const l = fields(value);
  if (!l || !isField(l.key) || !isText(l.text) || !isTime(l.ts)) return null;
  const { key, text, ts } = l;
  if (l.kind === 'system') return { kind: 'system', key, text, ts };
  if (l.kind !== 'chat') return null;
  const { id, from, fromName, mine, broadcast } = l;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return null;
  if (!isField(from) || !isField(fromName) || typeof mine !== 'boolean' || typeof broadcast !== 'boolean') return null;
  const recipients = parseList(l.recipients, (x) => {
    const p = fields(x);
    return p && isField(p.id) && isField(p.name) ? { id: p.id, name: p.name } : null;
  });
  const delivered = parseList(l.delivered, (x) => (isField(x) ? x : null));
  if (!recipients || !delivered || !delivered.every((d) => recipients.some((p) => p.id === d))) return null;
  return { kind: 'chat', key, id, from, fromName, text, ts, mine, broadcast, recipients, delivered };
}

/** Every item of a list of at most MAX_ROOM_SIZE, or null when it is no such list or one is bad. */
function parseList<T>(value: unknown, item: (x: unknown) => T | null): T[] | null {
  if (!Array.isArray(value) || value.length > MAX_ROOM_SIZE) return null;
  const out: T[] = [];
  for (const x of value) {
    const parsed = item(x);
    if (parsed === null) return null;
    out.push(parsed);
  }
  return out;
}

/** A plain object's own fields (a copy), or null for anything else. */
function fields(value: unknown): Readonly<Record<string, unknown>> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  return Object.fromEntries(Object.entries(value));
}

function isField(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= MAX_FIELD;
}

function isText(x: unknown): x is string {
  return typeof x === 'string' && x.length <= MAX_STORED_TEXT;
}

function isTime(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}
