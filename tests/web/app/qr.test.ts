// The share link's QR encoder against vectors made with Project Nayuki's reference encoder
// (encodeBinary: byte mode, error correction raised while it fits), the one qr.ts follows.
import { describe, expect, it } from 'vitest';
import { encodeQr, qrSvgPath, type QrCode } from '../../../web/src/app/models/qr';

const rows = (q: QrCode) => q.modules.map((row) => row.map((d) => (d ? '#' : '.')).join(''));

// FNV-1a over the modules in reading order (1 dark, 0 light): a compact fingerprint for symbols
// too big to write out.
function fingerprint(q: QrCode): string {
  let h = 0x811c9dc5;
  for (const row of q.modules) {
    for (const dark of row) {
      h ^= dark ? 1 : 0;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

describe('encodeQr', () => {
  it('encodes UTF-8 text in version 1 exactly as the reference does', () => {
    const q = encodeQr('Grüße 👋', 'M')!;
    expect([q.version, q.size, q.ecc, q.mask]).toEqual([1, 21, 'M', 2]);
    expect(rows(q)).toEqual([
      '#######.......#######',
      '#.....#...##..#.....#',
      '#.###.#.#.#...#.###.#',
      '#.###.#.#..##.#.###.#',
      '#.###.#.#####.#.###.#',
      '#.....#.#.#.#.#.....#',
      '#######.#.#.#.#######',
      '........#####........',
      '#.#####..#..#.#####..',
      '.#####.#.#..#..##.###',
      '#...#.##.#.#...#...#.',
      '###.##..##...##..#.##',
      '..#..###...#.##...##.',
      '........#.#.#..##.#..',
      '#######..##.#....#.#.',
      '#.....#.#..#..#.#....',
      '#.###.#.###..#..##.##',
      '#.###.#.#.#.###..#...',
      '#.###.#.#....####.#..',
      '#.....#..####.#.##...',
      '#######.##..##.#..##.',
    ]);
  });

  it('raises the level while the text still fits the version (empty text: H in version 1)', () => {
    const q = encodeQr('', 'L')!;
    expect([q.version, q.ecc, q.mask]).toEqual([1, 'H', 6]);
    expect(rows(q)[8]).toBe('...##.##.#.##....##..');
    expect(fingerprint(q)).toBe('7e572c7b');
  });

  it.each([
    ['a share link', 'https://huddle.example/r/ABC234', 'M', 3, 'Q', 7, 'aa8a9aa9'],
    ['a LAN link with a query', 'http://192.168.1.20:8080/r/XYZ789?debug=1', 'M', 3, 'M', 2, '76586244'],
    // Several blocks of two lengths, and the version information (version 7 and up).
    ['a 159-byte link (version 9)', `${'x'.repeat(150)}/r/ABC234`, 'M', 9, 'M', 2, '96bef31d'],
    ['1000 bytes at Q (version 31)', 'a'.repeat(1000), 'Q', 31, 'Q', 2, '95048232'],
  ] as const)('%s matches the reference', (_label, text, ecc, version, used, mask, print) => {
    const q = encodeQr(text, ecc)!;
    expect([q.version, q.size, q.ecc, q.mask]).toEqual([version, 17 + 4 * version, used, mask]);
    expect(fingerprint(q)).toBe(print);
  });

  it('says null when the text fits no version, and fits the largest that does', () => {
    expect(encodeQr('a'.repeat(2331), 'M')?.version).toBe(40);
    expect(encodeQr('a'.repeat(2332), 'M')).toBeNull();
  });
});

describe('qrSvgPath', () => {
  it('draws one rectangle per horizontal run of dark modules, inside the quiet zone', () => {
    const q = encodeQr('Grüße 👋', 'M')!;
    const path = qrSvgPath(q);
    // The first row starts with a finder pattern's 7 dark modules at (4, 4).
    expect(path.startsWith('M4 4h7v1h-7z')).toBe(true);
    const runs = rows(q).reduce((n, row) => n + (row.match(/#+/g)?.length ?? 0), 0);
    expect(path.match(/M/g)!.length).toBe(runs);
  });
});
