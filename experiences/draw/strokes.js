'use strict';
// The drawing as data: strokes in paint order, each owned by the peer that drew it. A stroke is
// *live* while its points arrive as messages (it is being drawn) and *settled* once the room state
// holds it whole; settled strokes are painted in their order (o, then author and id, the same on
// every board), live ones on top. Bounded by DrawLimits: past 5,000 strokes or 200,000 points the
// oldest strokes are dropped from this board, down to 90% of both, so a long session costs memory
// and redraw time in proportion to the limits, not to its length.

class StrokeHistory {
  /** wireAuthor: an author as every board knows it (own strokes are kept under a stand-in). */
  constructor(wireAuthor = (author) => author) {
    this.wireAuthor = wireAuthor;
    this.strokes = [];         // { author, id, color, width, points: [x,y,...], order }
    this.byKey = new Map();    // `${author}/${id}` → stroke
    this.pointCount = 0;
  }

  static key(author, id) { return `${author}/${id}`; }

  get(author, id) { return this.byKey.get(StrokeHistory.key(author, id)); }

  count() { return this.strokes.length; }

  countBy(author) { return this.strokes.reduce((n, s) => n + (s.author === author ? 1 : 0), 0); }

  /**
   * Appends live points to (author, id), creating the stroke at the top when it is new.
   * Returns { stroke, dropped }: stroke is null when the stroke is full (DrawLimits.strokePoints)
   * or settled already (the room's copy is whole); dropped is true when old strokes were dropped,
   * so the caller must redraw everything.
   */
  append(author, id, color, width, points) {
    let stroke = this.get(author, id);
    if (!stroke) {
      stroke = this.create(author, id, color, width);
      this.strokes.push(stroke);
    }
    if (stroke.order !== Infinity || stroke.points.length + points.length > 2 * DrawLimits.strokePoints) return { stroke: null, dropped: false };
    stroke.points.push(...points);
    this.pointCount += points.length / 2;
    return { stroke, dropped: this.enforceLimits() };
  }

  /**
   * Makes (author, id) what the room state holds: { o, c, w, p }. Returns true when the board must
   * be redrawn (the stroke moved, or its points differ from what was painted), false when painting
   * what is new is enough.
   */
  settle(author, id, { o, c, w, p }) {
    let stroke = this.get(author, id);
    const fresh = !stroke;
    if (fresh) stroke = this.create(author, id, c, w);
    const samePoints = !fresh && stroke.points.length === p.length && stroke.points.every((v, i) => v === p[i]);
    const same = samePoints && stroke.color === c && stroke.width === w;
    if (!fresh) this.strokes.splice(this.strokes.indexOf(stroke), 1);
    this.pointCount += (p.length - stroke.points.length) / 2;
    Object.assign(stroke, { color: c, width: w, order: o });
    if (!samePoints) stroke.points = p.slice();
    const at = this.place(stroke);
    // Nothing settled paints over it: painting what is new (or nothing) is enough, unless the
    // points it had on the board were not these.
    const onTop = at === this.strokes.length - 1 || this.strokes[at + 1].order === Infinity;
    return this.enforceLimits() || !onTop || (!fresh && !same);
  }

  /** Removes (author, id); true when it was there. */
  remove(author, id) {
    const stroke = this.get(author, id);
    if (!stroke) return false;
    this.strokes.splice(this.strokes.indexOf(stroke), 1);
    this.byKey.delete(StrokeHistory.key(author, id));
    this.pointCount -= stroke.points.length / 2;
    return true;
  }

  /** Removes every settled stroke with an order up to `order` (a clear); true when any went. */
  clearUpTo(order) {
    const gone = this.strokes.filter((s) => s.order <= order);
    for (const s of gone) this.remove(s.author, s.id);
    return gone.length > 0;
  }

  clear() {
    this.strokes = [];
    this.byKey.clear();
    this.pointCount = 0;
  }

  create(author, id, color, width) {
    const stroke = { author, id, color, width, points: [], order: Infinity };
    this.byKey.set(StrokeHistory.key(author, id), stroke);
    return stroke;
  }

  /** Inserts `stroke` where its order puts it (binary search: a late joiner settles thousands). */
  place(stroke) {
    let lo = 0;
    let hi = this.strokes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.before(this.strokes[mid], stroke)) lo = mid + 1;
      else hi = mid;
    }
    this.strokes.splice(lo, 0, stroke);
    return lo;
  }

  /** Paint order: settled strokes by (order, author, id), the same on every board; live ones after them, as they came. */
  before(a, b) {
    if (a.order !== b.order) return a.order < b.order;
    if (a.order === Infinity) return true;
    const x = this.wireAuthor(a.author);
    const y = this.wireAuthor(b.author);
    if (x !== y) return x < y;
    return a.id < b.id;
  }

  enforceLimits() {
    if (this.strokes.length <= DrawLimits.strokes && this.pointCount <= DrawLimits.points) return false;
    // Past a limit, drop down to 90% of both: each drop costs a full redraw, so it should happen
    // once per many strokes, not on every frame of the stroke being drawn.
    while (this.strokes.length > 1 &&
      (this.strokes.length > 0.9 * DrawLimits.strokes || this.pointCount > 0.9 * DrawLimits.points)) {
      const oldest = this.strokes[0];
      this.remove(oldest.author, oldest.id);
    }
    return true;
  }
}
