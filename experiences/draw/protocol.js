'use strict';
// Draw's messages, its room state and their limits. The drawing is the room state (P2P.state): a
// finished stroke is one key, so a member who comes later gets it from the room, whoever drew it
// and whoever is still here. Live drawing goes as messages, for smoothness.
//
// Messages (the author of a stroke or a cursor is always the P2P senderId, never a field):
//   {t:'seg', id, c, w, p}   points appended to the sender's stroke `id` while it is drawn
//                            c: '#rrggbb'; w: line width as a fraction of the board's width;
//                            p: [x0,y0,x1,y1,...] normalized 0..1 (4 decimals), at most
//                            DrawLimits.segmentPoints points; batched once per animation frame
//   {t:'del', id}            the sender takes back its own stroke `id` (undo; its key goes too)
//   {t:'clear'}              the sender cleared the board (the strokes being drawn go too)
//   {t:'cur', x, y}          the sender's cursor, normalized; {t:'cur'} (no x/y) hides it
//
// Room state keys:
//   s/<peerId>/<id>          a finished stroke: {o, c, w, p}. o: its place in paint order (one
//                            above the highest the drawer had seen when it began, and at least its
//                            Date.now(); ties go by key);
//                            p: every point, at most DrawLimits.strokePoints (a longer stroke goes
//                            on as a new one), so a value stays far below the room's 60 416 bytes
//   clear                    {o}: the board was cleared (o: the highest seen, at least Date.now());
//                            strokes with o ≤ this are gone (their keys are deleted after it, a
//                            few at a time)

const DrawLimits = Object.freeze({
  strokes: 5000,        // strokes kept; beyond it the oldest stroke is dropped
  points: 200000,       // points kept across all strokes; beyond it the oldest strokes are dropped
  strokePoints: 3000,   // points in one stroke (≤ 14 bytes each: ≤ 42 KB of JSON); a longer one goes on as a new stroke
  segmentPoints: 500,   // points in one 'seg' message (≈ 8 KB of JSON)
  stateBytes: 1048576 - 64 * 1024, // the room state's 1 MiB, less room for the stroke being drawn
  stateKeys: 4096 - 64,            // the room state's keys (deleted ones included), less some spare
  minWidth: 0.001,
  maxWidth: 0.1,
  maxId: 2 ** 31,
});

const DrawWire = (() => {
  const colorPattern = /^#[0-9a-f]{6}$/;

  const isNormalized = (v) => typeof v === 'number' && v >= 0 && v <= 1;
  const isStrokeId = (v) => Number.isInteger(v) && v >= 0 && v <= DrawLimits.maxId;
  const isColor = (v) => typeof v === 'string' && colorPattern.test(v);
  const isWidth = (v) => typeof v === 'number' && v >= DrawLimits.minWidth && v <= DrawLimits.maxWidth;

  function isPoints(p, max = DrawLimits.segmentPoints) {
    if (!Array.isArray(p) || p.length < 2 || p.length % 2 !== 0) return false;
    if (p.length > 2 * max) return false;
    return p.every(isNormalized);
  }

  const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

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
      default:
        return null;
    }
  }

  // 4 decimals: a 10 000-pixel-wide board still lands on whole pixels, and a point costs ~14 chars.
  const round = (v) => Math.round(Math.min(1, Math.max(0, v)) * 1e4) / 1e4;
  const roundWidth = (w) => Math.round(w * 1e5) / 1e5;

  const isOrder = (v) => Number.isSafeInteger(v) && v >= 0;
  const strokeKeyPattern = /^s\/([A-Za-z0-9_-]{1,64})\/(\d{1,10})$/;

  /** The room state key of `author`'s stroke `id`. */
  const strokeKey = (author, id) => `s/${author}/${id}`;

  /** { author, id } of a stroke's key, or null for any other key. */
  function parseStrokeKey(key) {
    const m = strokeKeyPattern.exec(key);
    return m && isStrokeId(Number(m[2])) ? { author: m[1], id: Number(m[2]) } : null;
  }

  /** A stroke's value if it is well formed ({o, c, w, p}), else null. */
  function parseStroke(v) {
    return isRecord(v) && isOrder(v.o) && isColor(v.c) && isWidth(v.w) && isPoints(v.p, DrawLimits.strokePoints) ? v : null;
  }

  /** The order up to which the board was cleared, from the `clear` key's value (0: never). */
  const parseClear = (v) => (isRecord(v) && isOrder(v.o) ? v.o : 0);

  return { parse, round, roundWidth, isColor, strokeKey, parseStrokeKey, parseStroke, parseClear };
})();
