/**
 * Epoch-stamped visited marks (hnswlib's visited list): a slot is visited when its mark equals the current
 * epoch, so clearing is one increment. One byte per slot keeps the marks small (200 KB for 200k slots);
 * every 255 traversals they are zeroed once. The loops read `marks`/`epoch` into locals and test inline.
 */
export class VisitedMarks {
  marks = new Uint8Array(64);
  epoch = 0;

  /** Starts a traversal over slots < `slots`; returns the epoch to stamp with. */
  next(slots: number): number {
    if (slots > this.marks.length) {
      this.marks = new Uint8Array(Math.max(slots, Math.ceil(this.marks.length * 1.5)));
      this.epoch = 0;
    }
    if (this.epoch === 255) {
      this.marks.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }
}
