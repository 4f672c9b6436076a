'use strict';
// The drawing as data: strokes in paint order (oldest first), each owned by the peer that drew it.
// Bounded by DrawLimits: past 5,000 strokes or 200,000 points the oldest strokes are dropped, down
// to 90% of both (from everyone's board, since every member applies the same rule to nearly the
// same history), so a long session costs memory and redraw time in proportion to the limits, not
// to its length.

class StrokeHistory {
  constructor() {
    this.strokes = [];         // { author, id, color, width, points: [x,y,...], fromHistory }
    this.byKey = new Map();    // `${author}/${id}` → stroke
    this.pointCount = 0;
    this.historyCursor = 0;    // where the next stroke from a 'hist' chunk goes (see addFromHistory)
  }

  static key(author, id) { return `${author}/${id}`; }

  get(author, id) { return this.byKey.get(StrokeHistory.key(author, id)); }

  count() { return this.strokes.length; }

  countBy(author) { return this.strokes.reduce((n, s) => n + (s.author === author ? 1 : 0), 0); }

  /**
   * Appends live points to (author, id), creating the stroke at the top when it is new.
   * Returns { stroke, dropped }: stroke is null when the stroke is full (DrawLimits.strokePoints);
   * dropped is true when old strokes were dropped, so the caller must redraw everything.
   */
  append(author, id, color, width, points) {
    let stroke = this.get(author, id);
    if (!stroke) {
      stroke = this.create(author, id, color, width);
      this.strokes.push(stroke);
    }
    return { stroke: this.addPoints(stroke, stroke.points.length, points) ? stroke : null, dropped: this.enforceLimits() };
  }

  /**
   * Adds a piece of the drawing a late joiner receives from the host. Strokes the joiner saw live
   * while the history was on its way were drawn later than any history stroke, so history goes
   * below them (historyCursor), and a history piece of a stroke already seen live goes before its
   * live points. Always ends with a full redraw, so it returns nothing.
   */
  addFromHistory(author, id, color, width, points) {
    let stroke = this.get(author, id);
    if (!stroke) {
      stroke = this.create(author, id, color, width);
      this.strokes.splice(this.historyCursor, 0, stroke);
      this.historyCursor++;
    }
    if (this.addPoints(stroke, stroke.fromHistory, points)) stroke.fromHistory += points.length;
    this.enforceLimits();
  }

  /** Removes (author, id); true when it was there. */
  remove(author, id) {
    const stroke = this.get(author, id);
    if (!stroke) return false;
    const index = this.strokes.indexOf(stroke);
    this.strokes.splice(index, 1);
    if (index < this.historyCursor) this.historyCursor--;
    this.byKey.delete(StrokeHistory.key(author, id));
    this.pointCount -= stroke.points.length / 2;
    return true;
  }

  clear() {
    this.strokes = [];
    this.byKey.clear();
    this.pointCount = 0;
    this.historyCursor = 0;
  }

  create(author, id, color, width) {
    const stroke = { author, id, color, width, points: [], fromHistory: 0 };
    this.byKey.set(StrokeHistory.key(author, id), stroke);
    return stroke;
  }

  addPoints(stroke, at, points) {
    if (stroke.points.length + points.length > 2 * DrawLimits.strokePoints) return false;
    stroke.points.splice(at, 0, ...points);
    this.pointCount += points.length / 2;
    return true;
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
