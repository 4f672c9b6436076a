import { HuddleError } from './types';

// How deep app data may nest; the same bound the C++ core enforces on every frame.
const MAX_DEPTH = 64;

/**
 * JSON text for app data, refusing what JSON.stringify would silently change or drop: undefined,
 * functions, symbols, bigints, NaN/Infinity, cycles, class instances other than plain objects and
 * arrays, and nesting deeper than 64 levels.
 */
export function toJsonText(data: unknown): string {
  check(data, 0, new Set());
  return JSON.stringify(data);
}

function check(value: unknown, depth: number, seen: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(`${value} is not a JSON number`);
    return;
  }
  if (typeof value !== 'object') throw invalid(`a ${typeof value} cannot be sent as JSON`);
  if (depth >= MAX_DEPTH) throw invalid(`data nests deeper than ${MAX_DEPTH} levels`);
  if (seen.has(value)) throw invalid('data contains a cycle');
  seen.add(value);
  if (Array.isArray(value)) {
    for (const item of value) check(item, depth + 1, seen);
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw invalid(`a ${proto?.constructor?.name ?? 'class instance'} is not plain JSON data`);
    }
    for (const key of Object.keys(value)) check((value as Record<string, unknown>)[key], depth + 1, seen);
  }
  seen.delete(value);
}

function invalid(message: string): HuddleError {
  return new HuddleError('data_invalid', message);
}
