// Base64 for file chunks: the platform's codec where there is one, a fallback elsewhere (Node 20,
// older browsers). Strict on input: a chunk must be exactly the base64 of its expected length.

/** Characters of base64 (with padding) for `bytes` bytes. */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

const BASE64_DIGITS = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const PAD = 61; // '='
// Base64 is ASCII, which every single-byte decoding reads the same.
const asciiText = new TextDecoder('latin1');

// The platform's own codec (Uint8Array.prototype.toBase64 and setFromBase64: Chromium 140,
// Firefox 133, Safari 18.2), which TypeScript's lib does not declare yet. Measured in Chromium on
// a 47 KiB chunk: 0.07 ms to encode and 0.03 ms to decode, against about 1 ms each for the
// fallbacks below.
interface NativeBase64 {
  toBase64(): string;
  setFromBase64(text: string): { read: number; written: number };
}

function hasNativeBase64(bytes: Uint8Array): bytes is Uint8Array & NativeBase64 {
  return typeof Reflect.get(bytes, 'toBase64') === 'function' && typeof Reflect.get(bytes, 'setFromBase64') === 'function';
}

/** Base64 (with padding) of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  return hasNativeBase64(bytes) ? bytes.toBase64() : encodeBase64(bytes);
}

/**
 * The fallback: digits written into bytes and decoded as text at once, ten times faster than
 * btoa over a string built with String.fromCharCode (which took a quarter of a sending page's time).
 */
export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(base64Length(bytes.length));
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = BASE64_DIGITS[n >> 18];
    out[o++] = BASE64_DIGITS[(n >> 12) & 63];
    out[o++] = BASE64_DIGITS[(n >> 6) & 63];
    out[o++] = BASE64_DIGITS[n & 63];
  }
  if (i < bytes.length) {
    const two = i + 1 < bytes.length;
    const n = (bytes[i] << 16) | (two ? bytes[i + 1] << 8 : 0);
    out[o++] = BASE64_DIGITS[n >> 18];
    out[o++] = BASE64_DIGITS[(n >> 12) & 63];
    out[o++] = two ? BASE64_DIGITS[(n >> 6) & 63] : PAD;
    out[o++] = PAD;
  }
  return asciiText.decode(out);
}

/**
 * Decodes `text` into `target` at `offset`; false unless it is base64 of exactly `length` bytes
 * (the padded length is checked before anything is decoded).
 */
export function decodeBase64Into(text: string, target: Uint8Array, offset: number, length: number): boolean {
  if (text.length !== base64Length(length) || offset + length > target.length) return false;
  const slot = target.subarray(offset, offset + length);
  if (hasNativeBase64(slot)) {
    try {
      const { read, written } = slot.setFromBase64(text);
      return read === text.length && written === length;
    } catch {
      return false; // not base64
    }
  }
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return false;
  }
  if (binary.length !== length) return false;
  for (let i = 0; i < length; i++) target[offset + i] = binary.charCodeAt(i);
  return true;
}
