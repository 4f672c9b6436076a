// @vitest-environment node
// The chunks' base64 (web/src/lib/base64.ts): Node 20 has no native codec, so this runs the
// fallbacks; Chromium's native one is exercised end to end (tests/e2e/files.test.mjs).
import { describe, expect, it } from 'vitest';
import { decodeBase64Into, encodeBase64, toBase64 } from '../../../web/src/lib/base64';
import { randomFile } from './file_net';

describe('base64', () => {
  it('encodes as Node does, at every tail length, and decodes back', () => {
    for (const size of [0, 1, 2, 3, 4, 5, 1000, 1001, 1002]) {
      const bytes = randomFile(size).bytes;
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(encodeBase64(bytes)).toBe(text); // the fallback, whichever toBase64 used
      const back = new Uint8Array(size);
      expect(decodeBase64Into(text, back, 0, size)).toBe(true);
      expect(back).toEqual(bytes);
    }
  });

  it('refuses text of the wrong length, characters outside base64, or too few bytes', () => {
    const target = new Uint8Array(6);
    expect(decodeBase64Into('AAAAAAAA', target, 0, 6)).toBe(true);
    expect(decodeBase64Into('AAAAAAA', target, 0, 6)).toBe(false);
    expect(decodeBase64Into('AAAA!AAA', target, 0, 6)).toBe(false);
    expect(decodeBase64Into('AAAAAA==', target, 0, 6)).toBe(false); // 4 bytes, not 6
    expect(decodeBase64Into('AAAAAAAA', target, 2, 6)).toBe(false); // past the end
  });
});
