// Draw's drawing as data (experiences/draw/strokes.js) and its room state keys and values
// (protocol.js), loaded as the classic scripts the experience's page loads: paint order is the
// same on every board whatever order strokes settle in, a stroke drawn live and then settled with
// the same points needs no redraw, a clear removes only what it covers, and keys and values that
// are not Draw's are refused.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

const dir = path.join(__dirname, '../../../experiences/draw');

interface Stroke { author: string; id: number; points: number[]; order: number }
interface History {
  strokes: Stroke[];
  append(author: string, id: number, color: string, width: number, points: number[]): { stroke: Stroke | null; dropped: boolean };
  settle(author: string, id: number, value: { o: number; c: string; w: number; p: number[] }): boolean;
  remove(author: string, id: number): boolean;
  clearUpTo(order: number): boolean;
}
interface Draw {
  StrokeHistory: new (wireAuthor?: (author: string) => string) => History;
  DrawWire: {
    strokeKey(author: string, id: number): string;
    parseStrokeKey(key: string): { author: string; id: number } | null;
    parseStroke(v: unknown): unknown;
    parseClear(v: unknown): number;
  };
}

function load(): Draw {
  const source = ['protocol.js', 'strokes.js'].map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n;\n');
  return vm.runInNewContext(`${source}\n;({ StrokeHistory, DrawWire })`) as Draw;
}

const { StrokeHistory, DrawWire } = load();
const order = (h: History) => h.strokes.map((s) => `${s.author}/${s.id}`);
const value = (o: number, p = [0.1, 0.1, 0.2, 0.2]) => ({ o, c: '#ef4444', w: 0.01, p });

describe('paint order', () => {
  it('is (order, author, id) whatever order strokes settle in, and live strokes stay on top', () => {
    const settles: [string, number, number][] = [['ben', 0, 2], ['ann', 1, 2], ['ann', 0, 1], ['cat', 0, 3]];
    const boards = [settles, [...settles].reverse()].map((list) => {
      const h = new StrokeHistory();
      h.append('dan', 0, '#ef4444', 0.01, [0.5, 0.5]); // being drawn
      for (const [author, id, o] of list) h.settle(author, id, value(o));
      return order(h);
    });
    expect(boards[0]).toEqual(['ann/0', 'ann/1', 'ben/0', 'cat/0', 'dan/0']);
    expect(boards[1]).toEqual(boards[0]);
  });

  it('own strokes, kept under a stand-in, are ordered by the peer id every other board sees', () => {
    const h = new StrokeHistory((author) => (author === '' ? 'zed' : author));
    h.settle('', 0, value(5));
    h.settle('amy', 0, value(5));
    expect(order(h)).toEqual(['amy/0', '/0']);
  });
});

describe('settling', () => {
  it('a live stroke settled with the points it has keeps what is painted; other points or a new place need a redraw', () => {
    const h = new StrokeHistory();
    h.append('ann', 0, '#ef4444', 0.01, [0.1, 0.1, 0.2, 0.2]);
    expect(h.settle('ann', 0, value(1))).toBe(false);
    expect(h.append('ann', 0, '#ef4444', 0.01, [0.3, 0.3]).stroke).toBeNull(); // settled: the room's copy is whole
    h.append('ben', 0, '#ef4444', 0.01, [0.1, 0.1]);
    expect(h.settle('ben', 0, value(2, [0.1, 0.1, 0.4, 0.4]))).toBe(true); // it had fewer points
    expect(h.settle('cat', 0, value(3))).toBe(false); // new, on top: painting it is enough
    expect(h.settle('dan', 0, value(0))).toBe(true);  // new, below others
    expect(order(h)).toEqual(['dan/0', 'ann/0', 'ben/0', 'cat/0']);
  });

  it('a clear removes the settled strokes it covers and nothing drawn after it', () => {
    const h = new StrokeHistory();
    h.settle('ann', 0, value(1));
    h.settle('ann', 1, value(4));
    h.settle('cat', 0, value(3)); // its order is the clear's: covered
    h.append('ben', 0, '#ef4444', 0.01, [0.5, 0.5]);
    expect(h.clearUpTo(3)).toBe(true);
    expect(order(h)).toEqual(['ann/1', 'ben/0']);
    expect(h.clearUpTo(3)).toBe(false);
  });
});

describe('room state keys and values', () => {
  it('a stroke key names its drawer and id; other keys are not strokes', () => {
    expect(DrawWire.strokeKey('K7QXPA2345', 12)).toBe('s/K7QXPA2345/12');
    expect(DrawWire.parseStrokeKey('s/K7QXPA2345/12')).toEqual({ author: 'K7QXPA2345', id: 12 });
    for (const key of ['clear', 's/a b/1', 's/ann/-1', 's/ann/1.5', 's/ann', 'x/ann/1']) expect(DrawWire.parseStrokeKey(key)).toBeNull();
  });

  it('a stroke value is {o, c, w, p} within the limits; anything else is refused', () => {
    expect(DrawWire.parseStroke(value(1))).not.toBeNull();
    const p = (n: number) => Array.from({ length: 2 * n }, () => 0.5);
    expect(DrawWire.parseStroke(value(1, p(3000)))).not.toBeNull();
    expect(JSON.stringify(value(1, Array.from({ length: 6000 }, () => 0.1234))).length).toBeLessThan(60_416);
    for (const bad of [null, [], value(-1), value(1.5), { ...value(1), c: 'red' }, { ...value(1), w: 1 }, value(1, p(3001)), value(1, [2, 0])]) {
      expect(DrawWire.parseStroke(bad)).toBeNull();
    }
    expect(DrawWire.parseClear({ o: 7 })).toBe(7);
    expect(DrawWire.parseClear(undefined)).toBe(0);
  });
});
