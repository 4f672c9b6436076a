'use strict';
// Draw's messages and their limits. Every message goes through P2P; the author of a stroke or a
// cursor is always the P2P senderId, never a field, so nobody can draw or point as someone else.
//
//   {t:'seg', id, c, w, p}   points appended to the sender's stroke `id`
//                            c: '#rrggbb'; w: line width as a fraction of the board's width;
//                            p: [x0,y0,x1,y1,...] normalized 0..1 (4 decimals), at most
//                            DrawLimits.segmentPoints points; batched once per animation frame
//   {t:'del', id}            the sender takes back its own stroke `id` (undo)
//   {t:'clear'}              everyone clears the board
//   {t:'cur', x, y}          the sender's cursor, normalized; {t:'cur'} (no x/y) hides it
//   {t:'hist', s, last}      host → joiner only (sendTo): the drawing so far, oldest first, in
//                            chunks of at most DrawLimits.chunkChars of JSON. s: [[author, id, c,
//                            w, p], ...]; a long stroke spans several entries with the same
//                            author and id. last: true on the final chunk (also sent when empty).

const DrawLimits = Object.freeze({
  strokes: 5000,        // strokes kept; beyond it the oldest stroke is dropped
  points: 200000,       // points kept across all strokes; beyond it the oldest strokes are dropped
  strokePoints: 4000,   // points in one stroke; a sender starts a new stroke past this
  segmentPoints: 500,   // points in one 'seg' message or history entry (≈ 8 KB of JSON)
  chunkChars: 48000,    // JSON characters in one 'hist' message (P2P's limit is 64 KiB)
  minWidth: 0.001,
  maxWidth: 0.1,
  maxId: 2 ** 31,
});

const DrawWire = (() => {
  const peerIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
  const colorPattern = /^#[0-9a-f]{6}$/;

  const isNormalized = (v) => typeof v === 'number' && v >= 0 && v <= 1;
  const isStrokeId = (v) => Number.isInteger(v) && v >= 0 && v <= DrawLimits.maxId;
  const isColor = (v) => typeof v === 'string' && colorPattern.test(v);
  const isWidth = (v) => typeof v === 'number' && v >= DrawLimits.minWidth && v <= DrawLimits.maxWidth;
  const isPeerId = (v) => typeof v === 'string' && peerIdPattern.test(v);

  function isPoints(p) {
    if (!Array.isArray(p) || p.length < 2 || p.length % 2 !== 0) return false;
    if (p.length > 2 * DrawLimits.segmentPoints) return false;
    return p.every(isNormalized);
  }

  const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

  function isHistoryEntry(e) {
    return Array.isArray(e) && e.length === 5 && isPeerId(e[0]) && isStrokeId(e[1]) &&
      isColor(e[2]) && isWidth(e[3]) && isPoints(e[4]);
  }

  /** The message if it is well formed, else null (the caller ignores it). */
  function parse(data) {
    if (!isRecord(data)) return null;
    switch (data.t) {
      case 'seg':
        return isStrokeId(data.id) && isColor(data.c) && isWidth(data.w) && isPoints(data.p) ? data : null;
      case 'del':
        return isStrokeId(data.id) ? data : null;
      case 'clear':
        return data;
      case 'cur':
        if (data.x === undefined && data.y === undefined) return data;
        return isNormalized(data.x) && isNormalized(data.y) ? data : null;
      case 'hist':
        return Array.isArray(data.s) && data.s.every(isHistoryEntry) && typeof data.last === 'boolean' ? data : null;
      default:
        return null;
    }
  }

  // 4 decimals: a 10 000-pixel-wide board still lands on whole pixels, and a point costs ~14 chars.
  const round = (v) => Math.round(Math.min(1, Math.max(0, v)) * 1e4) / 1e4;
  const roundWidth = (w) => Math.round(w * 1e5) / 1e5;

  /** 'hist' messages carrying `strokes` (oldest first), each at most chunkChars of JSON. */
  function historyChunks(strokes) {
    const chunks = [];
    let entries = [];
    let chars = 0;
    const overhead = JSON.stringify({ t: 'hist', s: [], last: false }).length;
    for (const s of strokes) {
      const step = 2 * DrawLimits.segmentPoints;
      for (let i = 0; i < s.points.length; i += step) {
        const entry = [s.author, s.id, s.color, s.width, s.points.slice(i, i + step)];
        const size = JSON.stringify(entry).length + 1;
        if (entries.length > 0 && overhead + chars + size > DrawLimits.chunkChars) {
          chunks.push({ t: 'hist', s: entries, last: false });
          entries = [];
          chars = 0;
        }
        entries.push(entry);
        chars += size;
      }
    }
    chunks.push({ t: 'hist', s: entries, last: true });
    return chunks;
  }

  return { parse, round, roundWidth, isColor, historyChunks };
})();
