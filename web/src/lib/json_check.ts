// Checks that a value is plain JSON data before it is sent, naming the first offending path
// (e.g. "data.pos.x is NaN"). Pure and dependency-free: the facade's send runs it, p2p.js runs it
// in the iframe, and <p2p-frame> runs it again on every frame that arrives from the iframe. The
// bounds are the C++ core's own (limits.hpp), written into core.ts by huddle-codegen.
import { MAX_APP_DATA_BYTES, MAX_APP_DATA_DEPTH as MAX_DEPTH } from '../generated/core';

/** Largest app data, as UTF-8 JSON text: the core's kMaxAppDataBytes (64 KiB frame less the envelope). */
export const MAX_DATA_BYTES = MAX_APP_DATA_BYTES;

/**
 * The JSON text of `data`, or a problem: what JSON.stringify would silently change or drop
 * (undefined, functions, symbols, bigints, NaN/Infinity, cycles, class instances, sparse arrays,
 * symbol keys), nesting deeper than 32 levels, or text over MAX_DATA_BYTES.
 */
export function jsonText(data: unknown): { text: string } | { problem: string } {
  const problem = check(data, 'data', 0, []);
  if (problem) return { problem };
  const text = JSON.stringify(data);
  // UTF-8 is at most 3 bytes per UTF-16 unit, so most texts need no encoding to be measured.
  const bytes = text.length * 3 <= MAX_DATA_BYTES ? text.length : new TextEncoder().encode(text).length;
  if (bytes > MAX_DATA_BYTES) return { problem: `data is ${bytes} bytes as JSON text; at most ${MAX_DATA_BYTES} may be sent` };
  return { text };
}

function check(value: unknown, path: string, depth: number, ancestors: object[]): string | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${path} is ${value}`;
    case 'object':
      break;
    default:
      return `${path} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}`;
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH) return `${path} nests deeper than ${MAX_DEPTH} levels`;
  if (ancestors.includes(value)) return `${path} is a cycle`;
  if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has a symbol key`;
  ancestors.push(value);
  let problem: string | null = null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && !problem; i++) {
      problem = i in value ? check(value[i], `${path}[${i}]`, depth + 1, ancestors) : `${path}[${i}] is a hole (sparse array)`;
    }
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      problem = `${path} is a ${proto?.constructor?.name || 'class instance'}, not a plain object`;
    }
    for (const key of problem ? [] : Object.keys(value)) {
      problem = check((value as Record<string, unknown>)[key], childPath(path, key), depth + 1, ancestors);
      if (problem) break;
    }
  }
  ancestors.pop();
  return problem;
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
